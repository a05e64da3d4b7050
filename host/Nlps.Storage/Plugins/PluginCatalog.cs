using Microsoft.Data.Sqlite;
using Nlps.Storage.Database;

namespace Nlps.Storage.Plugins;

/// <summary>
/// The installed plugins, their versions, which version is active and whether each is enabled. It records what the
/// plugin installer decided; it does not touch files. Every change that spans rows runs in one transaction.
/// </summary>
public sealed class PluginCatalog
{
    private const string SelectPlugins = "SELECT id, active_version, enabled, updated_at FROM plugins";

    private const string SelectVersions =
        "SELECT plugin_id, version, installed_at, path, manifest_json, package_sha256, signer_key_id FROM plugin_versions";

    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the catalog.</summary>
    /// <param name="database">The state database.</param>
    /// <param name="timeProvider">Stamps <c>updated_at</c>.</param>
    public PluginCatalog(StateDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.database = database;
        this.timeProvider = timeProvider;
    }

    /// <summary>Every installed plugin, by id (ordinal), each with its versions.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<PluginRecord>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // A read transaction, so the plugins and their versions come from one snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await ReadPluginsAsync(connection, transaction, pluginId: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The plugin <paramref name="pluginId"/> with its versions, or null when it is not installed.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<PluginRecord?> GetAsync(string pluginId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var plugins = await ReadPluginsAsync(connection, transaction, pluginId, cancellationToken).ConfigureAwait(false);
        return plugins.Count == 0 ? null : plugins[0];
    }

    /// <summary>
    /// Records an installed version, creating the plugin (enabled, nothing active) when it is new, and makes it the
    /// active version when <paramref name="activate"/> is set.
    /// </summary>
    /// <param name="version">The version to record.</param>
    /// <param name="activate">Whether it becomes the active version.</param>
    /// <param name="cancellationToken">Cancels the change (nothing is written then).</param>
    /// <exception cref="DuplicatePluginVersionException">This plugin id and version are already recorded; nothing is written.</exception>
    public async Task AddVersionAsync(PluginVersionRecord version, bool activate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentException.ThrowIfNullOrEmpty(version.PluginId, nameof(version));
        ArgumentException.ThrowIfNullOrEmpty(version.Version, nameof(version));
        ArgumentException.ThrowIfNullOrEmpty(version.Path, nameof(version));
        ArgumentNullException.ThrowIfNull(version.ManifestJson, nameof(version));
        ArgumentException.ThrowIfNullOrEmpty(version.PackageSha256, nameof(version));

        var now = UtcTimestamp.ToText(timeProvider.GetUtcNow());
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);

        if (await VersionExistsAsync(connection, transaction, version.PluginId, version.Version, cancellationToken).ConfigureAwait(false))
        {
            throw new DuplicatePluginVersionException(version.PluginId, version.Version);
        }

        await ExecuteAsync(
            connection.CreateCommand(
                    "INSERT INTO plugins (id, active_version, enabled, updated_at) VALUES ($id, NULL, 1, $now) ON CONFLICT (id) DO NOTHING",
                    transaction)
                .With("$id", version.PluginId)
                .With("$now", now),
            cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(
            connection.CreateCommand("""
                    INSERT INTO plugin_versions (plugin_id, version, installed_at, path, manifest_json, package_sha256, signer_key_id)
                    VALUES ($id, $version, $installedAt, $path, $manifest, $sha256, $signer)
                    """,
                    transaction)
                .With("$id", version.PluginId)
                .With("$version", version.Version)
                .With("$installedAt", UtcTimestamp.ToText(version.InstalledAt))
                .With("$path", version.Path)
                .With("$manifest", version.ManifestJson)
                .With("$sha256", version.PackageSha256)
                .With("$signer", version.SignerKeyId),
            cancellationToken).ConfigureAwait(false);

        if (activate)
        {
            await ExecuteAsync(
                connection.CreateCommand("UPDATE plugins SET active_version = $version, updated_at = $now WHERE id = $id", transaction)
                    .With("$id", version.PluginId)
                    .With("$version", version.Version)
                    .With("$now", now),
                cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes <paramref name="version"/> the active version of the plugin, or leaves none active when it is null.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="version">An installed version of the plugin, or null.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <exception cref="KeyNotFoundException">The plugin, or that version of it, is not installed.</exception>
    public async Task SetActiveVersionAsync(string pluginId, string? version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);

        if (version is not null
            && !await VersionExistsAsync(connection, transaction, pluginId, version, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"plugin '{pluginId}' has no installed version '{version}'");
        }

        await UpdatePluginAsync(connection, transaction, pluginId, "active_version = $value", version, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enables or disables the plugin.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="enabled">Whether it may run.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <exception cref="KeyNotFoundException">The plugin is not installed.</exception>
    public async Task SetEnabledAsync(string pluginId, bool enabled, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await UpdatePluginAsync(connection, transaction: null, pluginId, "enabled = $value", enabled ? 1 : 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets one installed version; true when it was there.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="version">The version to forget.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <exception cref="InvalidOperationException">It is the active version; activate another (or none) first.</exception>
    public async Task<bool> RemoveVersionAsync(string pluginId, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        ArgumentException.ThrowIfNullOrEmpty(version);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);

        await using (var active = connection.CreateCommand("SELECT active_version FROM plugins WHERE id = $id", transaction).With("$id", pluginId))
        {
            if (await active.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string activeVersion
                && string.Equals(activeVersion, version, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"plugin '{pluginId}' version '{version}' is active; activate another version (or none) before removing it");
            }
        }

        var removed = await ExecuteAsync(
            connection.CreateCommand("DELETE FROM plugin_versions WHERE plugin_id = $id AND version = $version", transaction)
                .With("$id", pluginId)
                .With("$version", version),
            cancellationToken).ConfigureAwait(false);
        if (removed == 0)
        {
            return false;
        }

        await ExecuteAsync(
            connection.CreateCommand("UPDATE plugins SET updated_at = $now WHERE id = $id", transaction)
                .With("$id", pluginId)
                .With("$now", UtcTimestamp.ToText(timeProvider.GetUtcNow())),
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Forgets the plugin and all its versions; true when it was there. Its key/value data stays until purged.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    public async Task<bool> RemovePluginAsync(string pluginId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // plugin_versions rows go with it: ON DELETE CASCADE, in the same statement.
        var removed = await ExecuteAsync(
            connection.CreateCommand("DELETE FROM plugins WHERE id = $id").With("$id", pluginId),
            cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    private async Task UpdatePluginAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string pluginId,
        string assignment,
        object? value,
        CancellationToken cancellationToken)
    {
        var updated = await ExecuteAsync(
            connection.CreateCommand($"UPDATE plugins SET {assignment}, updated_at = $now WHERE id = $id", transaction)
                .With("$id", pluginId)
                .With("$value", value)
                .With("$now", UtcTimestamp.ToText(timeProvider.GetUtcNow())),
            cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            throw new KeyNotFoundException($"plugin '{pluginId}' is not installed");
        }
    }

    private static async Task<bool> VersionExistsAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string pluginId,
        string version,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT 1 FROM plugin_versions WHERE plugin_id = $id AND version = $version", transaction)
            .With("$id", pluginId)
            .With("$version", version);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task<int> ExecuteAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<PluginRecord>> ReadPluginsAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string? pluginId,
        CancellationToken cancellationToken)
    {
        var filter = pluginId is null ? string.Empty : " WHERE plugin_id = $id";
        var versionsByPlugin = new Dictionary<string, List<PluginVersionRecord>>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand($"{SelectVersions}{filter} ORDER BY plugin_id, installed_at, version", transaction).With("$id", pluginId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var version = new PluginVersionRecord(
                    reader.GetString(0),
                    reader.GetString(1),
                    UtcTimestamp.Parse(reader.GetString(2)),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetNullableString(6));
                if (!versionsByPlugin.TryGetValue(version.PluginId, out var versions))
                {
                    versions = [];
                    versionsByPlugin.Add(version.PluginId, versions);
                }

                versions.Add(version);
            }
        }

        var pluginFilter = pluginId is null ? string.Empty : " WHERE id = $id";
        var plugins = new List<PluginRecord>();
        await using (var command = connection.CreateCommand($"{SelectPlugins}{pluginFilter} ORDER BY id", transaction).With("$id", pluginId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                plugins.Add(new PluginRecord(
                    id,
                    reader.GetNullableString(1),
                    reader.GetInt64(2) != 0,
                    UtcTimestamp.Parse(reader.GetString(3)),
                    versionsByPlugin.TryGetValue(id, out var versions) ? versions : []));
            }
        }

        return plugins;
    }
}
