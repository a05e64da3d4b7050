using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Nlps.Daemon.Systemd;
using Nlps.Plugins.Management;
using Nlps.Plugins.Runtime;

namespace Nlps.Daemon.Startup;

/// <summary>
/// Sends READY=1 once the host has started (database open, plugins loaded, HTTP listening), with a STATUS line that
/// names the listening addresses, and STOPPING=1 when it begins to stop.
/// </summary>
internal sealed class SystemdLifecycle(IHostApplicationLifetime lifetime, SystemdNotifier notifier, PluginManager plugins, IServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var list = plugins.List();
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            notifier.Notify($"READY=1\nSTATUS=ready: listening on {string.Join(' ', addresses)}; {list.Count(p => p.State == PluginState.Running)} of {list.Count} plugins running");
        });
        lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1\nSTATUS=stopping: draining requests"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
