namespace Nlps.Packaging.Tests.Support;

/// <summary>What a finished command left: its exit code and both output streams.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => $"$ {Command}\n(exit {ExitCode})\n{StandardOutput}{StandardError}";

    /// <summary>This result, or an exception naming the command and its output when it failed.</summary>
    public CommandResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"command failed:\n{Output}");
}
