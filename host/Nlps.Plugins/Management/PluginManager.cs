using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nlps.Plugins.Configuration;
using Nlps.Plugins.Packaging;
using Nlps.Plugins.Runtime;
using Nlps.Sdk.Manifest;
using Nlps.Storage.Documents;
using Nlps.Storage.KeyValue;
using Nlps.Storage.Vectors;
using Nlps.Storage.Plugins;

namespace Nlps.Plugins.Management;

/// <summary>
/// The installed plugins and their running agents: start at boot, install (verify, move into place, start),
/// upgrade with fallback to the running version, rollback, enable, disable, uninstall. Administrative changes are
/// serialised; looking up a running agent is lock-free.
/// </summary>
public sealed partial class PluginManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, PluginSlot> slots = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim changes = new(1, 1);
    private readonly PluginCatalog catalog;
    private readonly KeyValueStoreFactory stores;
    private readonly DocumentStoreFactory documents;
    private readonly VectorStoreFactory vectors;
    private readonly PackageVerifier verifier;
    private readonly AgentActivator activator;
    private readonly IConfiguration configuration;
    private readonly PluginConfigStore savedConfigs;
    private readonly PluginHostOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<PluginManager> logger;

    public PluginManager(
        PluginCatalog catalog,
        KeyValueStoreFactory stores,
        DocumentStoreFactory documents,
        VectorStoreFactory vectors,
        PackageVerifier verifier,
        AgentActivator activator,
        IConfiguration configuration,
        PluginConfigStore savedConfigs,
        IOptions<PluginHostOptions> options,
        TimeProvider timeProvider,
        ILogger<PluginManager> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.catalog = catalog;
        this.stores = stores;
        this.documents = documents;
        this.vectors = vectors;
        this.verifier = verifier;
        this.activator = activator;
        this.configuration = configuration;
        this.savedConfigs = savedConfigs;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>True once <see cref="StartAsync"/> has brought up every enabled plugin (whatever their outcome).</summary>
    public bool IsStarted { get; private set; }

    /// <summary>Starts the active version of every enabled plugin. One plugin's failure never stops the others.</summary>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(options.PluginsDirectory);
            ClearStaging();
            foreach (var record in await catalog.GetAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var version = record.Versions.FirstOrDefault(v => v.Version == record.ActiveVersion);
                if (version is null)
                {
                    continue;
                }

                var slot = PluginSlot.From(record, version);
                slots[record.Id] = slot;
                if (record.Enabled)
                {
                    await StartSlotAsync(slot, cancellationToken).ConfigureAwait(false);
                }
            }

            IsStarted = true;
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>
    /// Installs each package in <see cref="PluginHostOptions.BundledDirectory"/> whose id and version are not installed
    /// yet. A bundled package that is refused or fails to start is logged and skipped; the others still install.
    /// </summary>
    /// <param name="cancellationToken">Cancels between packages.</param>
    public async Task InstallBundledAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.BundledDirectory) || !Directory.Exists(options.BundledDirectory))
        {
            return;
        }

        foreach (var package in Directory.EnumerateFiles(options.BundledDirectory, "*.nlpkg").Order(StringComparer.Ordinal))
        {
            try
            {
                var description = await PackageReader.ReadAsync(package, cancellationToken).ConfigureAwait(false);
                var installed = await catalog.GetAsync(description.Manifest.Id, cancellationToken).ConfigureAwait(false);
                if (installed?.Versions.Any(v => v.Version == description.Manifest.Version) == true)
                {
                    continue;
                }

                var status = await InstallAsync(package, cancellationToken).ConfigureAwait(false);
                Log.BundledInstalled(logger, status.Id, status.Version, status.State.ToString());
            }
            catch (Exception ex) when (ex is PackageRejectedException or PluginOperationException or IOException or InvalidDataException)
            {
                Log.BundledRefused(logger, Path.GetFileName(package), ex.Message);
            }
        }
    }

    /// <summary>Stops every running agent, letting calls in flight finish within the drain timeout.</summary>
    /// <param name="cancellationToken">Cancels waiting.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(slots.Values.Select(slot => StopSlotAsync(slot, PluginState.Installed, "the appliance is stopping"))).ConfigureAwait(false);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>The running agent with id <paramref name="pluginId"/>.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="agent">The running agent.</param>
    /// <param name="status">The plugin's status when it exists but is not running.</param>
    public bool TryGetRunning(string pluginId, [NotNullWhen(true)] out ActiveAgent? agent, out PluginStatus? status)
    {
        agent = null;
        status = null;
        if (!slots.TryGetValue(pluginId, out var slot))
        {
            return false;
        }

        agent = slot.Agent;
        if (agent is null)
        {
            status = slot.ToStatus();
        }

        return agent is not null;
    }

    /// <summary>Every installed plugin, by id.</summary>
    public IReadOnlyList<PluginStatus> List() =>
        slots.Values.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => s.ToStatus()).ToList();

    /// <summary>The status of one plugin.</summary>
    /// <param name="pluginId">The plugin id.</param>
    public PluginStatus Get(string pluginId) =>
        slots.TryGetValue(pluginId, out var slot) ? slot.ToStatus() : throw NotInstalled(pluginId);

    /// <summary>
    /// Installs a package: verifies it completely (before any of its code can run), moves it into
    /// <c>plugins/{id}/{version}</c>, makes it the active version and starts it. An upgrade is refused with
    /// <c>config_incompatible</c> (409, every schema error listed, nothing changed) when the configuration saved for the
    /// plugin breaks the new version's <c>configSchema</c>. On an upgrade whose new version fails to start, the previous
    /// version is started again and the call fails with <c>plugin_start_failed</c>.
    /// </summary>
    /// <param name="packagePath">The uploaded <c>.nlpkg</c>.</param>
    /// <param name="cancellationToken">Cancels the install before anything is committed.</param>
    public async Task<PluginStatus> InstallAsync(string packagePath, CancellationToken cancellationToken)
    {
        await changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var verified = await verifier.VerifyAndExtractAsync(packagePath, options.StagingDirectory, cancellationToken).ConfigureAwait(false);
            var manifest = verified.Manifest;
            string target;
            try
            {
                if (!verified.IsSigned)
                {
                    Log.UnsignedPackageAccepted(logger, manifest.Id, manifest.Version);
                }

                var existing = await catalog.GetAsync(manifest.Id, cancellationToken).ConfigureAwait(false);
                if (existing?.Versions.Any(v => v.Version == manifest.Version) == true)
                {
                    throw new PluginOperationException("version_exists", 409, $"{manifest.Id} {manifest.Version} is already installed; bump the version to upgrade");
                }

                if (existing is not null)
                {
                    await EnsureSavedConfigFitsAsync(manifest, existing.ActiveVersion, cancellationToken).ConfigureAwait(false);
                }

                target = MoveIntoPlace(verified.ExtractedDirectory, manifest);
            }
            catch
            {
                TryDeleteDirectory(verified.ExtractedDirectory);
                throw;
            }

            var record = new PluginVersionRecord(
                PluginId: manifest.Id,
                Version: manifest.Version,
                InstalledAt: timeProvider.GetUtcNow(),
                Path: target,
                ManifestJson: Encoding.UTF8.GetString(ManifestJson.Serialize(manifest)),
                PackageSha256: verified.PackageSha256,
                SignerKeyId: verified.SignerKeyId);
            await catalog.AddVersionAsync(record, activate: true, CancellationToken.None).ConfigureAwait(false);
            Log.Installed(logger, manifest.Id, manifest.Version, verified.SignerKeyId ?? "unsigned");
            return await ActivateAsync(manifest.Id, record, isRollback: false).ConfigureAwait(false);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>Makes the version installed before the active one active again and starts it.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Cancels waiting for other changes.</param>
    public async Task<PluginStatus> RollbackAsync(string pluginId, CancellationToken cancellationToken)
    {
        await changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var record = await catalog.GetAsync(pluginId, CancellationToken.None).ConfigureAwait(false) ?? throw NotInstalled(pluginId);
            var activeIndex = record.Versions.ToList().FindIndex(v => v.Version == record.ActiveVersion);
            if (activeIndex <= 0)
            {
                throw new PluginOperationException("no_previous_version", 409, $"{pluginId} has no version installed before {record.ActiveVersion} to roll back to");
            }

            var previous = record.Versions[activeIndex - 1];
            await catalog.SetActiveVersionAsync(pluginId, previous.Version, CancellationToken.None).ConfigureAwait(false);
            return await ActivateAsync(pluginId, previous, isRollback: true).ConfigureAwait(false);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>Switches a plugin on and starts it.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Cancels waiting for other changes.</param>
    public async Task<PluginStatus> EnableAsync(string pluginId, CancellationToken cancellationToken)
    {
        await changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slot = slots.TryGetValue(pluginId, out var found) ? found : throw NotInstalled(pluginId);
            await catalog.SetEnabledAsync(pluginId, true, CancellationToken.None).ConfigureAwait(false);
            slot.Enabled = true;
            if (slot.Agent is null)
            {
                await StartSlotAsync(slot, CancellationToken.None).ConfigureAwait(false);
            }

            return slot.ToStatus();
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>Switches a plugin off: stops its agent and unloads it.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Cancels waiting for other changes.</param>
    public async Task<PluginStatus> DisableAsync(string pluginId, CancellationToken cancellationToken)
    {
        await changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slot = slots.TryGetValue(pluginId, out var found) ? found : throw NotInstalled(pluginId);
            await catalog.SetEnabledAsync(pluginId, false, CancellationToken.None).ConfigureAwait(false);
            slot.Enabled = false;
            await StopSlotAsync(slot, PluginState.Disabled, "disabled by an administrator").ConfigureAwait(false);
            return slot.ToStatus();
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>The configuration <paramref name="pluginId"/> starts with, and the schema that says how it may be edited.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<PluginConfigView> GetConfigAsync(string pluginId, CancellationToken cancellationToken)
    {
        var slot = slots.TryGetValue(pluginId, out var found) ? found : throw NotInstalled(pluginId);
        var saved = await savedConfigs.GetAsync(pluginId, cancellationToken).ConfigureAwait(false);
        return new PluginConfigView(pluginId, slot.Manifest.ConfigSchema, saved ?? AgentConfiguration.Read(configuration, pluginId), saved is null ? "file" : "saved");
    }

    /// <summary>
    /// Checks <paramref name="config"/> against the active version's <c>configSchema</c>; when it fits, saves it and
    /// restarts the agent (if enabled) with it. A configuration with errors changes nothing.
    /// </summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="config">The new configuration, replacing the whole previous one.</param>
    /// <param name="cancellationToken">Cancels waiting for other changes.</param>
    public async Task<PluginConfigChange> SetConfigAsync(string pluginId, JsonElement config, CancellationToken cancellationToken)
    {
        await changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slot = slots.TryGetValue(pluginId, out var found) ? found : throw NotInstalled(pluginId);
            var schema = slot.Manifest.ConfigSchema
                ?? throw new PluginOperationException("config_schema_missing", 409, $"{pluginId} {slot.Version} declares no configSchema, so its configuration is set only in nlps.json (Agents:{pluginId})");
            var errors = ConfigSchemaValidator.Validate(schema, config);
            if (errors.Count > 0)
            {
                return new PluginConfigChange(errors, null);
            }

            await savedConfigs.SetAsync(pluginId, config, CancellationToken.None).ConfigureAwait(false);
            Log.ConfigSaved(logger, pluginId);
            if (slot.Enabled)
            {
                await StopSlotAsync(slot, PluginState.Installed, "restarting with a new configuration").ConfigureAwait(false);
                await StartSlotAsync(slot, CancellationToken.None).ConfigureAwait(false);
            }

            return new PluginConfigChange(errors, slot.ToStatus());
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>
    /// Stops and unloads a plugin, removes every installed version and its catalogue rows. Its data folder and store
    /// are kept unless <paramref name="purge"/> is set. Returns whether the unloaded context was collected.
    /// </summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="purge">Also delete the agent's data folder, key/value, document and vector stores, and saved configuration.</param>
    /// <param name="cancellationToken">Cancels waiting for other changes.</param>
    public async Task<UninstallResult> UninstallAsync(string pluginId, bool purge, CancellationToken cancellationToken)
    {
        await changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slot = slots.TryGetValue(pluginId, out var found) ? found : throw NotInstalled(pluginId);
            var unloaded = await StopSlotAsync(slot, PluginState.Installed, "uninstalling").ConfigureAwait(false);
            var collected = unloaded is null || UnloadVerifier.WaitForCollection(unloaded);
            if (!collected)
            {
                Log.ContextNotCollected(logger, pluginId);
            }

            await catalog.RemovePluginAsync(pluginId, CancellationToken.None).ConfigureAwait(false);
            slots.TryRemove(pluginId, out _);
            TryDeleteDirectory(Path.Combine(options.PluginsDirectory, pluginId));
            if (purge)
            {
                await stores.DeleteAllAsync(pluginId, CancellationToken.None).ConfigureAwait(false);
                await documents.DeleteAllAsync(pluginId, CancellationToken.None).ConfigureAwait(false);
                await vectors.DeleteAllAsync(pluginId, CancellationToken.None).ConfigureAwait(false);
                await savedConfigs.DeleteAsync(pluginId, CancellationToken.None).ConfigureAwait(false);
                TryDeleteDirectory(Path.Combine(options.DataDirectory, pluginId));
            }

            Log.Uninstalled(logger, pluginId, purge);
            return new UninstallResult(pluginId, purge, collected);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>The host may stop and dispose in either order; stopping twice is harmless. The semaphore is left to
    /// the GC (it never allocates a wait handle), so a late stop never meets a disposed lock.</remarks>
    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    private async Task<PluginStatus> ActivateAsync(string pluginId, PluginVersionRecord version, bool isRollback)
    {
        var record = await catalog.GetAsync(pluginId, CancellationToken.None).ConfigureAwait(false)
            ?? throw NotInstalled(pluginId);
        slots.TryGetValue(pluginId, out var current);
        var previousVersion = current?.Version;
        var wasRunning = current?.Agent is not null;
        if (current is not null)
        {
            await StopSlotAsync(current, PluginState.Installed, $"replaced by {version.Version}").ConfigureAwait(false);
        }

        var slot = PluginSlot.From(record, version);
        slots[pluginId] = slot;
        if (!record.Enabled)
        {
            slot.SetState(PluginState.Disabled, "disabled by an administrator");
            return slot.ToStatus();
        }

        await StartSlotAsync(slot, CancellationToken.None).ConfigureAwait(false);
        if (slot.State == PluginState.Running || !wasRunning || isRollback || current is null)
        {
            return slot.ToStatus();
        }

        // The new version does not start: go back to the one that was running, and say so.
        var reason = slot.Reason;
        await catalog.SetActiveVersionAsync(pluginId, previousVersion, CancellationToken.None).ConfigureAwait(false);
        var fallback = record.Versions.First(v => v.Version == previousVersion);
        var restored = PluginSlot.From(record, fallback);
        slots[pluginId] = restored;
        await StartSlotAsync(restored, CancellationToken.None).ConfigureAwait(false);
        throw new PluginOperationException(
            "plugin_start_failed",
            422,
            $"{pluginId} {version.Version} is installed but failed to start ({reason}); {previousVersion} is active again ({restored.State})");
    }

    // The new version would start with the saved configuration, so it is checked against the new schema before any of
    // the new version's code runs. As at a first install, the schema's defaults are not written into it: they are the
    // console's hints, and the agent fills in what is missing.
    private async Task EnsureSavedConfigFitsAsync(PluginManifest manifest, string? activeVersion, CancellationToken cancellationToken)
    {
        if (manifest.ConfigSchema is not { } schema || await savedConfigs.GetAsync(manifest.Id, cancellationToken).ConfigureAwait(false) is not { } saved)
        {
            return;
        }

        var errors = ConfigSchemaValidator.Validate(schema, saved);
        if (errors.Count == 0)
        {
            return;
        }

        var listed = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
        throw new PluginOperationException(
            "config_incompatible",
            409,
            $"{manifest.Id} {manifest.Version} was not installed: the saved configuration breaks its configSchema in {errors.Count} place(s): {listed}. "
            + $"{manifest.Id} {activeVersion} stays active with its configuration unchanged; save a configuration that the new schema accepts, then install again.",
            errors);
    }

    private async Task StartSlotAsync(PluginSlot slot, CancellationToken cancellationToken)
    {
        try
        {
            var saved = await savedConfigs.GetAsync(slot.Id, cancellationToken).ConfigureAwait(false);
            var settings = new AgentStartSettings(
                saved ?? AgentConfiguration.Read(configuration, slot.Id),
                Path.Combine(options.DataDirectory, slot.Id),
                new AgentStores(stores.For(slot.Id), documents.For(slot.Id), vectors.For(slot.Id)),
                options.StartTimeout,
                id => TryGetRunning(id, out var running, out _) ? running : null);
            slot.Agent = await activator.StartAsync(slot.Manifest, slot.Path, settings, cancellationToken).ConfigureAwait(false);
            slot.SetState(PluginState.Running, string.Empty);
            Log.Started(logger, slot.Id, slot.Version);
        }
        catch (PluginStartException ex)
        {
            slot.SetState(PluginState.Faulted, ex.Message);
            Log.StartFailed(logger, slot.Id, slot.Version, ex.Message, ex.InnerException);
        }
    }

    private async Task<WeakReference?> StopSlotAsync(PluginSlot slot, PluginState next, string reason)
    {
        var agent = slot.Agent;
        slot.Agent = null;
        slot.SetState(next, reason);
        if (agent is null)
        {
            return null;
        }

        try
        {
            var weak = await agent.StopAsync(options.DrainTimeout, timeProvider).ConfigureAwait(false);
            Log.Stopped(logger, slot.Id, slot.Version, reason);
            return weak;
        }
        catch (Exception ex)
        {
            // A plugin that throws while disposing is still stopped; record it, keep going.
            Log.StopFailed(logger, slot.Id, ex);
            return null;
        }
    }

    private string MoveIntoPlace(string extracted, PluginManifest manifest)
    {
        var pluginFolder = Path.Combine(options.PluginsDirectory, manifest.Id);
        var target = Path.Combine(pluginFolder, manifest.Version);
        Directory.CreateDirectory(pluginFolder);

        // A folder with no catalogue row is the remainder of an install that crashed before it committed.
        TryDeleteDirectory(target);
        Directory.Move(extracted, target);
        return target;
    }

    private void ClearStaging()
    {
        if (Directory.Exists(options.StagingDirectory))
        {
            foreach (var leftover in Directory.EnumerateDirectories(options.StagingDirectory))
            {
                TryDeleteDirectory(leftover);
            }
        }

        Directory.CreateDirectory(options.StagingDirectory);
    }

    private void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException ex)
        {
            Log.DeleteFailed(logger, path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            Log.DeleteFailed(logger, path, ex);
        }
    }

    private static PluginOperationException NotInstalled(string pluginId) =>
        new("plugin_not_found", 404, $"no plugin with id '{pluginId}' is installed");

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Started plugin {PluginId} {Version}", EventName = "PluginStarted")]
        public static partial void Started(ILogger logger, string pluginId, string version);

        [LoggerMessage(2, LogLevel.Error, "Plugin {PluginId} {Version} failed to start: {Reason}", EventName = "PluginStartFailed")]
        public static partial void StartFailed(ILogger logger, string pluginId, string version, string reason, Exception? exception);

        [LoggerMessage(3, LogLevel.Information, "Stopped plugin {PluginId} {Version}: {Reason}", EventName = "PluginStopped")]
        public static partial void Stopped(ILogger logger, string pluginId, string version, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Plugin {PluginId} threw while stopping", EventName = "PluginStopFailed")]
        public static partial void StopFailed(ILogger logger, string pluginId, Exception exception);

        [LoggerMessage(5, LogLevel.Information, "Installed plugin {PluginId} {Version} (signed by {Signer})", EventName = "PluginInstalled")]
        public static partial void Installed(ILogger logger, string pluginId, string version, string signer);

        [LoggerMessage(6, LogLevel.Warning, "Accepted UNSIGNED package {PluginId} {Version} because Plugins:AllowUnsigned is on (developer mode)", EventName = "UnsignedPackageAccepted")]
        public static partial void UnsignedPackageAccepted(ILogger logger, string pluginId, string version);

        [LoggerMessage(7, LogLevel.Information, "Uninstalled plugin {PluginId} (purge: {Purge})", EventName = "PluginUninstalled")]
        public static partial void Uninstalled(ILogger logger, string pluginId, bool purge);

        [LoggerMessage(8, LogLevel.Warning, "Plugin {PluginId} was unloaded but its load context is still alive; it will be freed at the next restart", EventName = "PluginContextNotCollected")]
        public static partial void ContextNotCollected(ILogger logger, string pluginId);

        [LoggerMessage(10, LogLevel.Information, "Installed bundled plugin {PluginId} {Version}: {State}", EventName = "BundledPluginInstalled")]
        public static partial void BundledInstalled(ILogger logger, string pluginId, string version, string state);

        [LoggerMessage(11, LogLevel.Error, "Bundled package {Package} was not installed: {Reason}", EventName = "BundledPluginRefused")]
        public static partial void BundledRefused(ILogger logger, string package, string reason);

        [LoggerMessage(12, LogLevel.Information, "Saved a new configuration for plugin {PluginId}", EventName = "PluginConfigSaved")]
        public static partial void ConfigSaved(ILogger logger, string pluginId);

        [LoggerMessage(9, LogLevel.Warning, "Could not delete {Path}", EventName = "DeleteFailed")]
        public static partial void DeleteFailed(ILogger logger, string path, Exception exception);
    }
}
