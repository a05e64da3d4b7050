using Microsoft.Extensions.Options;
using Nlps.Api.Security;
using Nlps.Daemon.Configuration;
using Nlps.Daemon.Systemd;
using Nlps.Plugins.Management;
using Nlps.Storage.Database;

namespace Nlps.Daemon.Startup;

/// <summary>
/// Brings the appliance up in order (database, admin token, plugins) before the HTTP server starts listening, and
/// tells systemd what it is doing; READY=1 follows once HTTP is listening (see <see cref="SystemdLifecycle"/>).
/// </summary>
internal sealed partial class ApplianceStartup(
    IServiceProvider services,
    SystemdNotifier notifier,
    IOptions<StateOptions> state,
    ILogger<ApplianceStartup> logger) : IHostedService
{
    private PluginManager? plugins;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        notifier.Notify("STATUS=opening the database");
        var database = services.GetRequiredService<StateDatabase>();
        Log.DatabaseOpen(logger, database.Path, database.SchemaVersion);

        var tokenFile = Path.Combine(state.Value.FullPath, AdminTokenStore.FileName);
        if (await services.GetRequiredService<AdminTokenStore>().EnsureCreatedAsync(tokenFile, cancellationToken))
        {
            Log.AdminTokenCreated(logger, tokenFile);
        }

        notifier.Notify("STATUS=loading plugins");
        plugins = services.GetRequiredService<PluginManager>();
        await plugins.StartAsync(cancellationToken);
        await plugins.InstallBundledAsync(cancellationToken);
        var list = plugins.List();
        Log.PluginsLoaded(logger, list.Count(p => p.State == Plugins.Runtime.PluginState.Running), list.Count);
        notifier.Notify("STATUS=starting the HTTP server");
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        plugins?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Database {Path} open at schema version {SchemaVersion}", EventName = "DatabaseOpen")]
        public static partial void DatabaseOpen(ILogger logger, string path, int schemaVersion);

        [LoggerMessage(2, LogLevel.Warning, "Created the administrator token; it is in {TokenFile} (readable by this user only) and is not shown again", EventName = "AdminTokenCreated")]
        public static partial void AdminTokenCreated(ILogger logger, string tokenFile);

        [LoggerMessage(3, LogLevel.Information, "{Running} of {Total} plugins running", EventName = "PluginsLoaded")]
        public static partial void PluginsLoaded(ILogger logger, int running, int total);
    }
}
