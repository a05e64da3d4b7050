namespace Nlps.Cli.Client;

/// <summary>The admin API refused or failed a request; <see cref="Code"/> is the problem's stable code.</summary>
internal sealed class AdminApiException(string code, string message, int exitCode = 1, int status = 0) : Exception(message)
{
    /// <summary>The HTTP status of the refusal, or 0 when nlpsd did not answer.</summary>
    public int Status { get; } = status;

    public string Code { get; } = code;

    public int ExitCode { get; } = exitCode;
}
