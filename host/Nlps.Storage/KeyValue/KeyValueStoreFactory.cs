using Nlps.Storage.Database;

namespace Nlps.Storage.KeyValue;

/// <summary>Hands each plugin its own key/value store, and purges a plugin's data when it is uninstalled with purge.</summary>
public sealed class KeyValueStoreFactory
{
    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the factory.</summary>
    /// <param name="database">The state database.</param>
    /// <param name="timeProvider">Stamps <c>updated_at</c> on writes.</param>
    public KeyValueStoreFactory(StateDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.database = database;
        this.timeProvider = timeProvider;
    }

    /// <summary>The store that sees only <paramref name="pluginId"/>'s keys.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    public SqliteKeyValueStore For(string pluginId)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        return new SqliteKeyValueStore(database, timeProvider, pluginId);
    }

    /// <summary>Deletes every key of <paramref name="pluginId"/>; returns how many there were.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the purge (nothing is deleted then).</param>
    public async Task<int> DeleteAllAsync(string pluginId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM kv WHERE plugin_id = $plugin").With("$plugin", pluginId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
