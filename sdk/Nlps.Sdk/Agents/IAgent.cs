using Nlps.Sdk.Operations;

namespace Nlps.Sdk.Agents;

/// <summary>
/// An agent: the entry type of a plugin. The appliance creates it with its public parameterless constructor, calls
/// <see cref="InitializeAsync"/> once, then <see cref="ConfigureOperations"/> once, and disposes it when the plugin is
/// disabled, upgraded or uninstalled, or the appliance stops.
/// </summary>
/// <remarks>
/// Exceptions on threads the agent starts itself, or from <c>async void</c> methods, end the whole appliance process;
/// do background work through tasks observed by the agent, and stop it on <see cref="IAgentContext.Stopping"/>.
/// </remarks>
public interface IAgent : IAsyncDisposable
{
    /// <summary>Prepares the agent: open stores, read configuration. Throwing marks the plugin Faulted with the exception's message.</summary>
    /// <param name="context">What the appliance offers this agent.</param>
    /// <param name="cancellationToken">Cancelled when start-up is abandoned.</param>
    ValueTask InitializeAsync(IAgentContext context, CancellationToken cancellationToken);

    /// <summary>Registers the agent's operations. Every operation in <c>plugin.json</c> must be registered, and no other.</summary>
    /// <param name="operations">The catalogue to add operations to.</param>
    void ConfigureOperations(OperationCatalog operations);
}
