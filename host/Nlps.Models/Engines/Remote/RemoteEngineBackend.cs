using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Engines.Remote;

/// <summary>
/// Deployments served by remote OpenAI-compatible endpoints. A start checks that the endpoint lists the deployment's
/// model (so a typo fails at start, naming what is there); a stop has nothing to free. Health follows the endpoint's
/// circuit: ready when closed, unavailable with the last failure when open or half-open.
/// </summary>
public sealed class RemoteEngineBackend : IEngineBackend
{
    private readonly ConcurrentDictionary<string, (RemoteEndpoint Endpoint, string Model)> _registered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _started = new(StringComparer.Ordinal);

    public string Kind => "remote";

    /// <summary>Serves deployment <paramref name="deploymentId"/> as <paramref name="model"/> on <paramref name="endpoint"/>.</summary>
    public void Register(string deploymentId, RemoteEndpoint endpoint, string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(deploymentId);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(model);
        _registered[deploymentId] = (endpoint, model);
    }

    public EngineHealth GetHealth(string deploymentId)
    {
        if (!_started.ContainsKey(deploymentId) || !_registered.TryGetValue(deploymentId, out var target))
        {
            return EngineHealth.Stopped;
        }

        CircuitBreaker breaker = target.Endpoint.Breaker;
        return breaker.State switch
        {
            CircuitState.Closed => EngineHealth.Ready,
            CircuitState.Open => new EngineHealth(EngineState.Unavailable, $"circuit open: {breaker.LastFailure}"),
            _ => new EngineHealth(EngineState.Unavailable, $"circuit half-open (the next call is a trial): {breaker.LastFailure}"),
        };
    }

    public IReadOnlyList<string> GetServedModelNames(string deploymentId) =>
        _registered.TryGetValue(deploymentId, out var target) ? [target.Model] : [];

    public IChatClient GetChatClient(string deploymentId)
    {
        (RemoteEndpoint endpoint, string model) = Started(deploymentId);
        return new CircuitBreakingChatClient(endpoint, model);
    }

    /// <summary>The endpoint's <c>/v1/embeddings</c> for the deployment's model.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string deploymentId)
    {
        (RemoteEndpoint endpoint, string model) = Started(deploymentId);
        return new CircuitBreakingEmbeddingGenerator(endpoint, model);
    }

    public async Task LoadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (!_registered.TryGetValue(deployment.Id, out var target))
        {
            throw new InvalidOperationException($"deployment '{deployment.Id}' was never registered with the remote back-end");
        }

        IReadOnlyList<string> models = await target.Endpoint.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        if (!models.Contains(target.Model, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"remote endpoint '{target.Endpoint.Name}' ({target.Endpoint.BaseAddress}) does not serve model '{target.Model}'; it lists: {string.Join(", ", models)}");
        }

        _started[deployment.Id] = true;
    }

    public Task UnloadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        _started.TryRemove(deployment.Id, out _);
        return Task.CompletedTask;
    }

    private (RemoteEndpoint Endpoint, string Model) Started(string deploymentId) =>
        _started.ContainsKey(deploymentId) && _registered.TryGetValue(deploymentId, out var target)
            ? target
            : throw new InvalidOperationException($"deployment '{deploymentId}' is not started (a lease must be held)");
}
