using Nlps.Models.Scheduling;

namespace Nlps.Models.Engines;

/// <summary>The scheduler's one back-end over several engines: each deployment's start and stop go to the engine that serves it.</summary>
public sealed class EngineRouter : IModelBackend
{
    private readonly Dictionary<string, IEngineBackend> _byDeployment = new(StringComparer.Ordinal);

    /// <summary>Routes <paramref name="deploymentId"/> to <paramref name="engine"/>; call before the scheduler starts.</summary>
    public void Route(string deploymentId, IEngineBackend engine)
    {
        ArgumentException.ThrowIfNullOrEmpty(deploymentId);
        ArgumentNullException.ThrowIfNull(engine);
        _byDeployment[deploymentId] = engine;
    }

    /// <summary>The engine serving <paramref name="deploymentId"/>.</summary>
    public IEngineBackend For(string deploymentId) =>
        _byDeployment.TryGetValue(deploymentId, out IEngineBackend? engine) ? engine : throw new InvalidOperationException($"deployment '{deploymentId}' has no engine");

    public Task LoadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return For(deployment.Id).LoadAsync(deployment, cancellationToken);
    }

    public Task UnloadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return For(deployment.Id).UnloadAsync(deployment, cancellationToken);
    }
}
