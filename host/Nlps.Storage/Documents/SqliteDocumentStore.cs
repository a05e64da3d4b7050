using Microsoft.Data.Sqlite;
using Nlps.Sdk.Storage;
using Nlps.Storage.Database;
using Nlps.Storage.KeyValue;

namespace Nlps.Storage.Documents;

/// <summary>
/// One plugin's <see cref="IDocumentStore"/>: chunks in <c>doc_chunks</c>, their analysed terms in the FTS5 table of
/// the collection's <see cref="TextIndexing"/> (rowid = chunk row id). BM25 statistics are per analysis table, shared by
/// every collection that uses it; results are always filtered to this plugin's collection.
/// Get one from <see cref="DocumentStoreFactory"/>.
/// </summary>
public sealed class SqliteDocumentStore : IDocumentStore
{
    private const int MaxLimit = 1000;
    private const int SqliteConstraint = 19;

    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;

    internal SqliteDocumentStore(StateDatabase database, TimeProvider timeProvider, string pluginId)
    {
        this.database = database;
        this.timeProvider = timeProvider;
        PluginId = pluginId;
    }

    /// <summary>The plugin whose collections this store sees.</summary>
    public string PluginId { get; }

    /// <inheritdoc />
    public async ValueTask EnsureCollectionAsync(string collection, TextIndexing indexing = TextIndexing.CharacterBigrams, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        _ = FtsTables.Name(indexing);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = connection.CreateCommand(
            "INSERT INTO doc_collections (plugin_id, name, indexing, created_at) VALUES ($plugin, $name, $indexing, $now) ON CONFLICT DO NOTHING")
            .With("$plugin", PluginId).With("$name", collection).With("$indexing", FtsTables.Name(indexing))
            .With("$now", UtcTimestamp.ToText(timeProvider.GetUtcNow())))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var existing = await ReadIndexingAsync(connection, null, collection, cancellationToken).ConfigureAwait(false);
        if (existing != indexing)
        {
            throw new ArgumentException($"collection '{collection}' already exists with {existing} indexing, not {indexing}", nameof(indexing));
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT name FROM doc_collections WHERE plugin_id = $plugin ORDER BY name").With("$plugin", PluginId);
        return await command.ReadStringsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteCollectionAsync(string collection, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var indexing = await ReadIndexingAsync(connection, transaction, collection, cancellationToken).ConfigureAwait(false);
        if (indexing is null)
        {
            return false;
        }

        await using (var fts = connection.CreateCommand(
            $"DELETE FROM {FtsTables.Table(indexing.Value)} WHERE rowid IN (SELECT id FROM doc_chunks WHERE plugin_id = $plugin AND collection = $collection)", transaction)
            .With("$plugin", PluginId).With("$collection", collection))
        {
            await fts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // doc_chunks rows go with the collection (ON DELETE CASCADE).
        await using (var delete = connection.CreateCommand("DELETE FROM doc_collections WHERE plugin_id = $plugin AND name = $collection", transaction)
            .With("$plugin", PluginId).With("$collection", collection))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask ReplaceDocumentAsync(string collection, string documentId, IReadOnlyList<DocumentChunk> chunks, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        KeyValueLimits.ValidateKey(documentId, nameof(documentId));
        ArgumentNullException.ThrowIfNull(chunks);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            ArgumentNullException.ThrowIfNull(chunk, nameof(chunks));
            KeyValueLimits.ValidateKey(chunk.Id, nameof(chunks));
            ArgumentNullException.ThrowIfNull(chunk.Text, nameof(chunks));
            if (!seen.Add(chunk.Id))
            {
                throw new ArgumentException($"chunk id '{chunk.Id}' appears twice in document '{documentId}'", nameof(chunks));
            }
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var indexing = await ReadIndexingAsync(connection, transaction, collection, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"document collection '{collection}' does not exist");
        var table = FtsTables.Table(indexing);
        await DeleteDocumentRowsAsync(connection, transaction, table, collection, documentId, cancellationToken).ConfigureAwait(false);

        await using var insertChunk = connection.CreateCommand("""
            INSERT INTO doc_chunks (plugin_id, collection, document_id, chunk_id, ordinal, text, metadata)
            VALUES ($plugin, $collection, $document, $chunk, $ordinal, $text, $metadata) RETURNING id
            """, transaction);
        var chunkId = insertChunk.Parameters.Add("$chunk", SqliteType.Text);
        var ordinal = insertChunk.Parameters.Add("$ordinal", SqliteType.Integer);
        var text = insertChunk.Parameters.Add("$text", SqliteType.Text);
        var metadata = insertChunk.Parameters.Add("$metadata", SqliteType.Text);
        insertChunk.With("$plugin", PluginId).With("$collection", collection).With("$document", documentId);
        await using var insertTerms = connection.CreateCommand($"INSERT INTO {table} (rowid, terms) VALUES ($id, $terms)", transaction);
        var rowId = insertTerms.Parameters.Add("$id", SqliteType.Integer);
        var terms = insertTerms.Parameters.Add("$terms", SqliteType.Text);

        for (var i = 0; i < chunks.Count; i++)
        {
            chunkId.Value = chunks[i].Id;
            ordinal.Value = i;
            text.Value = chunks[i].Text;
            metadata.Value = (object?)chunks[i].Metadata ?? DBNull.Value;
            try
            {
                rowId.Value = await insertChunk.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
            {
                throw new ArgumentException($"chunk id '{chunks[i].Id}' already belongs to another document in collection '{collection}'", nameof(chunks), ex);
            }

            terms.Value = TextAnalyzer.IndexTerms(chunks[i].Text, indexing);
            await insertTerms.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteDocumentAsync(string collection, string documentId, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        KeyValueLimits.ValidateKey(documentId, nameof(documentId));
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var indexing = await ReadIndexingAsync(connection, transaction, collection, cancellationToken).ConfigureAwait(false);
        if (indexing is null)
        {
            return false;
        }

        var deleted = await DeleteDocumentRowsAsync(connection, transaction, FtsTables.Table(indexing.Value), collection, documentId, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredChunk>> GetChunksAsync(string collection, IReadOnlyList<string> chunkIds, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        ArgumentNullException.ThrowIfNull(chunkIds);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(
            "SELECT document_id, chunk_id, text, metadata FROM doc_chunks WHERE plugin_id = $plugin AND collection = $collection AND chunk_id = $chunk")
            .With("$plugin", PluginId).With("$collection", collection);
        var chunk = command.Parameters.Add("$chunk", SqliteType.Text);
        var found = new List<StoredChunk>(chunkIds.Count);
        foreach (var id in chunkIds)
        {
            chunk.Value = id;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(ReadChunk(reader));
            }
        }

        return found;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredChunk>> GetDocumentAsync(string collection, string documentId, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        KeyValueLimits.ValidateKey(documentId, nameof(documentId));
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("""
            SELECT document_id, chunk_id, text, metadata FROM doc_chunks
            WHERE plugin_id = $plugin AND collection = $collection AND document_id = $document ORDER BY ordinal
            """).With("$plugin", PluginId).With("$collection", collection).With("$document", documentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var chunks = new List<StoredChunk>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chunks.Add(ReadChunk(reader));
        }

        return chunks;
    }

    /// <inheritdoc />
    public async ValueTask<long> CountChunksAsync(string collection, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT count(*) FROM doc_chunks WHERE plugin_id = $plugin AND collection = $collection")
            .With("$plugin", PluginId).With("$collection", collection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DocumentSearchHit>> SearchAsync(string collection, string query, int limit = 10, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var indexing = await ReadIndexingAsync(connection, null, collection, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"document collection '{collection}' does not exist");
        var match = TextAnalyzer.MatchExpression(query, indexing);
        if (match is null)
        {
            return [];
        }

        var table = FtsTables.Table(indexing);
        // Rank and cut first, then read text and metadata for the top hits only: sorting every match with its text
        // made common-term queries several times slower at 100k chunks.
        await using var command = connection.CreateCommand($"""
            SELECT c.document_id, c.chunk_id, c.text, c.metadata, top.rank
            FROM (
                SELECT {table}.rowid AS id, bm25({table}) AS rank
                FROM {table} JOIN doc_chunks f ON f.id = {table}.rowid
                WHERE {table} MATCH $match AND f.plugin_id = $plugin AND f.collection = $collection
                ORDER BY rank LIMIT $limit
            ) AS top JOIN doc_chunks c ON c.id = top.id
            ORDER BY top.rank
            """).With("$match", match).With("$plugin", PluginId).With("$collection", collection).With("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var hits = new List<DocumentSearchHit>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hits.Add(new DocumentSearchHit(ReadChunk(reader), -reader.GetDouble(4)));
        }

        return hits;
    }

    private static StoredChunk ReadChunk(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetNullableString(3));

    private async Task<TextIndexing?> ReadIndexingAsync(SqliteConnection connection, SqliteTransaction? transaction, string collection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT indexing FROM doc_collections WHERE plugin_id = $plugin AND name = $name", transaction)
            .With("$plugin", PluginId).With("$name", collection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is string name ? FtsTables.Parse(name) : null;
    }

    private async Task<int> DeleteDocumentRowsAsync(SqliteConnection connection, SqliteTransaction transaction, string table, string collection, string documentId, CancellationToken cancellationToken)
    {
        await using (var fts = connection.CreateCommand(
            $"DELETE FROM {table} WHERE rowid IN (SELECT id FROM doc_chunks WHERE plugin_id = $plugin AND collection = $collection AND document_id = $document)", transaction)
            .With("$plugin", PluginId).With("$collection", collection).With("$document", documentId))
        {
            await fts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var chunks = connection.CreateCommand(
            "DELETE FROM doc_chunks WHERE plugin_id = $plugin AND collection = $collection AND document_id = $document", transaction)
            .With("$plugin", PluginId).With("$collection", collection).With("$document", documentId);
        return await chunks.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
