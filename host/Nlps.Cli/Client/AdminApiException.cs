namespace Nlps.Cli.Client;

/// <summary>The admin API refused or failed a request; <see cref="Code"/> is the problem's stable code.</summary>
internal sealed class AdminApiException(string code, string message, int exitCode = 1) : Exception(message)
{
    public string Code { get; } = code;

    public int ExitCode { get; } = exitCode;
}
