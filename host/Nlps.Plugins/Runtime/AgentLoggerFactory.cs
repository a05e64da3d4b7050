using Microsoft.Extensions.Logging;

namespace Nlps.Plugins.Runtime;

/// <summary>Gives an agent loggers under <c>Agent.{id}.</c>, so its lines are found and filtered by agent.</summary>
internal sealed class AgentLoggerFactory(ILoggerFactory inner, string agentId) : ILoggerFactory
{
    private readonly string prefix = $"Agent.{agentId}.";

    public ILogger CreateLogger(string categoryName) => inner.CreateLogger(prefix + categoryName);

    // Providers belong to the host; an agent cannot add or remove them.
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Agents cannot add logging providers.");

    // The host owns the inner factory's lifetime.
    public void Dispose()
    {
    }
}
