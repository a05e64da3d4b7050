using Microsoft.Extensions.Hosting;

namespace Nlps.Models.Deployments;

/// <summary>Starts the deployments after the model store has reconciled (register it after <see cref="Store.ModelStoreStartup"/>).</summary>
public sealed class ModelDeploymentsStartup(ModelDeployments deployments) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => deployments.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
