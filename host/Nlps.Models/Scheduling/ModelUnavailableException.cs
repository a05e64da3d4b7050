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

    /// <summary>deployment_unknown, wrong_model_kind, queue_full, wait_timeout, does_not_fit, load_failed, unload_failed, or an engine's state (engine_restarting, engine_faulted, circuit_open, endpoint_unreachable).</summary>
    public string Code { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>404 for an unknown deployment, 400 for one of the wrong kind (a chat model asked for embeddings), else 503.</summary>
    public int StatusCode => Code switch
    {
        "deployment_unknown" => 404,
        "wrong_model_kind" => 400,
        _ => 503,
    };
}
