namespace Nlps.Models.Scheduling;

/// <summary>
/// A request cannot be served now: 503 with <see cref="Code"/>, the reason and <see cref="RetryAfter"/>
/// (deployment_unknown is 404 and has none).
/// </summary>
public sealed class ModelUnavailableException : Exception
{
    public ModelUnavailableException()
    {
        Code = "model_unavailable";
    }

    public ModelUnavailableException(string message)
        : base(message)
    {
        Code = "model_unavailable";
    }

    public ModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "model_unavailable";
    }

    public ModelUnavailableException(string code, string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        RetryAfter = retryAfter;
    }

    /// <summary>deployment_unknown, queue_full, wait_timeout, does_not_fit, load_failed or unload_failed.</summary>
    public string Code { get; }

    public TimeSpan? RetryAfter { get; }

    public int StatusCode => Code == "deployment_unknown" ? 404 : 503;
}
