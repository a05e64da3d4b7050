namespace Nlps.Models.Engines.OpenAi;

/// <summary>An OpenAI-compatible engine answered with an error: its HTTP status (or 200 for an error event mid-stream) and message.</summary>
public sealed class EngineHttpException : Exception
{
    public EngineHttpException()
    {
    }

    public EngineHttpException(string message)
        : base(message)
    {
    }

    public EngineHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EngineHttpException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    /// <summary>The engine itself failed (5xx), as opposed to refusing the request.</summary>
    public bool IsServerError => StatusCode >= 500;
}
