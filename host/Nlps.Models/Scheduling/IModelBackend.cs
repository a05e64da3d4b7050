namespace Nlps.Models.Scheduling;

/// <summary>
/// An inference engine as the scheduler drives it. The scheduler calls <see cref="LoadAsync"/> only when the
/// deployment's bytes are free on its devices and holds them until <see cref="UnloadAsync"/> returns; an engine must
/// stay within <see cref="ScheduledDeployment.BytesPerDevice"/>. Engines implement it through <see cref="Engines.IEngineBackend"/>.
/// </summary>
public interface IModelBackend
{
    /// <summary>Makes the deployment resident; completes when it can serve. A throw means nothing stays loaded.</summary>
    Task LoadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken);

    /// <summary>Frees everything the matching load took.</summary>
    Task UnloadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken);
}
