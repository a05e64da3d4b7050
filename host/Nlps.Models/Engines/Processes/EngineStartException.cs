namespace Nlps.Models.Engines.Processes;

/// <summary>An engine process could not be brought to ready: the message says why (port taken, timeout, crash loop with its stderr).</summary>
public sealed class EngineStartException : Exception
{
    public EngineStartException()
    {
    }

    public EngineStartException(string message)
        : base(message)
    {
    }

    public EngineStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
