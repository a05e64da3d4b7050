namespace Nlps.Hardware.Commands;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Standard output and error together, for messages about a failed command.</summary>
    public string CombinedOutput => string.IsNullOrWhiteSpace(StandardError)
        ? StandardOutput.Trim()
        : (StandardOutput + "\n" + StandardError).Trim();
}
