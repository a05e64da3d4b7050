using Microsoft.Extensions.Hosting;

namespace Nlps.Models.Store;

/// <summary>At start, brings the model catalog in line with the model folders (see <see cref="ModelStore.ReconcileAsync"/>).</summary>
public sealed class ModelStoreStartup(ModelStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.ReconcileAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
