using Nlps.Sdk.Agents;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Runtime;

/// <summary>
/// Runs another agent's operation for an agent (<see cref="IAgentContext.CallAgentAsync"/>): the permission comes from
/// the caller's manifest, the callee is found running and leased for the call like an HTTP call, and the callee's own
/// errors pass through unchanged.
/// </summary>
internal sealed class AgentCaller(PluginManifest caller, Func<string, ActiveAgent?> findRunning)
{
    public const string PermissionPrefix = "agents:";

    public async ValueTask<byte[]> CallAsync(string agentId, string operationName, ReadOnlyMemory<byte> requestJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        ArgumentException.ThrowIfNullOrEmpty(operationName);
        if (!caller.Permissions.Contains(PermissionPrefix + agentId, StringComparer.Ordinal))
        {
            throw new AgentOperationException("agent_permission_denied", $"{caller.Id} may not call {agentId}: its plugin.json does not list the permission '{PermissionPrefix}{agentId}'", 403);
        }

        var agent = findRunning(agentId);
        if (agent is null || !agent.TryEnter())
        {
            throw new AgentOperationException("agent_unavailable", $"agent '{agentId}' is not installed or not running", 503);
        }

        try
        {
            if (!agent.Operations.TryGetValue(operationName, out var operation))
            {
                throw new AgentOperationException("operation_not_found", $"agent '{agentId}' has no operation '{operationName}'", 404);
            }

            if (operation.IsStreaming)
            {
                throw new AgentOperationException("operation_streams", $"'{agentId}/{operationName}' streams; agents can call only request/response operations");
            }

            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, agent.Stopping);
            return await operation.InvokeAsync(requestJson, call.Token).ConfigureAwait(false);
        }
        finally
        {
            agent.Exit();
        }
    }
}
