using Nlps.Daemon.Systemd;
using Nlps.Plugins.Management;

namespace Nlps.Daemon.Startup;

/// <summary>Sends READY=1 once the host has started (database open, plugins loaded, HTTP listening) and STOPPING=1 when it begins to stop.</summary>
internal sealed class SystemdLifecycle(IHostApplicationLifetime lifetime, SystemdNotifier notifier, PluginManager plugins) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var list = plugins.List();
            notifier.Notify($"READY=1\nSTATUS=ready: {list.Count(p => p.State == Plugins.Runtime.PluginState.Running)} of {list.Count} plugins running");
        });
        lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1\nSTATUS=stopping: draining requests"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
