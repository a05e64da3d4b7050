using Nlps.Storage.Database;

namespace Nlps.Storage.Vectors;

/// <summary>Hands each plugin its own vector store (sharing one in-memory index cache), and purges a plugin's vectors.</summary>
public sealed class VectorStoreFactory
{
    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;
    private readonly VectorIndexCache cache = new();

    /// <summary>Creates the factory.</summary>
    /// <param name="database">The state database.</param>
    /// <param name="timeProvider">Stamps <c>created_at</c> on collections.</param>
    public VectorStoreFactory(StateDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.database = database;
        this.timeProvider = timeProvider;
    }

    /// <summary>The store that sees only <paramref name="pluginId"/>'s collections.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    public SqliteVectorStore For(string pluginId)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        return new SqliteVectorStore(database, timeProvider, cache, pluginId);
    }

    /// <summary>Deletes every vector collection of <paramref name="pluginId"/>; returns how many vectors there were.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the purge.</param>
    public async Task<int> DeleteAllAsync(string pluginId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var items = connection.CreateCommand("DELETE FROM vec_items WHERE plugin_id = $plugin").With("$plugin", pluginId);
        var count = await items.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var collections = connection.CreateCommand("DELETE FROM vec_collections WHERE plugin_id = $plugin").With("$plugin", pluginId);
        await collections.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cache.InvalidatePlugin(pluginId);
        return count;
    }
}
