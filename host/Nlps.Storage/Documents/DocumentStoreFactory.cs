using Nlps.Storage.Database;

namespace Nlps.Storage.Documents;

/// <summary>Hands each plugin its own document store, and purges a plugin's documents when it is uninstalled with purge.</summary>
public sealed class DocumentStoreFactory
{
    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the factory.</summary>
    /// <param name="database">The state database.</param>
    /// <param name="timeProvider">Stamps <c>created_at</c> on collections.</param>
    public DocumentStoreFactory(StateDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.database = database;
        this.timeProvider = timeProvider;
    }

    /// <summary>The store that sees only <paramref name="pluginId"/>'s collections.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    public SqliteDocumentStore For(string pluginId)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        return new SqliteDocumentStore(database, timeProvider, pluginId);
    }

    /// <summary>Deletes every collection of <paramref name="pluginId"/>; returns how many chunks there were.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the purge (nothing is deleted then).</param>
    public async Task<int> DeleteAllAsync(string pluginId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in FtsTables.All)
        {
            await using var fts = connection.CreateCommand($"DELETE FROM {table} WHERE rowid IN (SELECT id FROM doc_chunks WHERE plugin_id = $plugin)", transaction)
                .With("$plugin", pluginId);
            await fts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var chunks = connection.CreateCommand("DELETE FROM doc_chunks WHERE plugin_id = $plugin", transaction).With("$plugin", pluginId);
        var count = await chunks.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var collections = connection.CreateCommand("DELETE FROM doc_collections WHERE plugin_id = $plugin", transaction).With("$plugin", pluginId);
        await collections.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }
}
