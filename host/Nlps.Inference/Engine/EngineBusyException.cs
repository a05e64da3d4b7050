namespace Nlps.Inference.Engine;

/// <summary>
/// A model already runs its maximum of sequences and its waiting queue is full. The API answers 503 with
/// <see cref="RetryAfter"/> as Retry-After; nothing was started, so the request can simply be sent again.
/// </summary>
public sealed class EngineBusyException : Exception
{
    public EngineBusyException()
    {
    }

    public EngineBusyException(string message)
        : base(message)
    {
    }

    public EngineBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EngineBusyException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>A hint: roughly when a running sequence will have made room.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
