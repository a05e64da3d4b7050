namespace Nlps.Sdk.Agents;

/// <summary>
/// An error an operation reports to its caller on purpose. The appliance answers with an RFC 7807 problem whose
/// <c>code</c> is <see cref="ErrorCode"/> and whose status is <see cref="StatusCode"/>. Any other exception is a 500
/// with code <c>agent_failed</c>.
/// </summary>
public class AgentOperationException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="errorCode">A stable, machine-readable code in snake_case, e.g. <c>glossary_term_exists</c>.</param>
    /// <param name="message">A sentence for people.</param>
    /// <param name="statusCode">The HTTP status, 400-599.</param>
    public AgentOperationException(string errorCode, string message, int statusCode = 400)
        : base(message)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The stable error code.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }
}
