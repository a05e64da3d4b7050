using Nlps.Plugins.Management;
using Nlps.Plugins.Runtime;
using Nlps.Sdk.Manifest;

namespace Nlps.Api.Agents;

/// <summary>One agent as <c>GET /v1/agents</c> lists it.</summary>
/// <param name="Id">The agent (plugin) id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Version">Active version.</param>
/// <param name="State">Installed, Running, Disabled or Faulted.</param>
/// <param name="Reason">Why it is not running.</param>
/// <param name="Operations">Its operations.</param>
public sealed record AgentSummary(string Id, string? Name, string Version, PluginState State, string Reason, IReadOnlyList<OperationDescriptor> Operations)
{
    /// <summary>The summary of a plugin status.</summary>
    /// <param name="status">The status.</param>
    public static AgentSummary From(PluginStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.Id, status.Name, status.Version, status.State, status.Reason, status.Operations);
    }
}
