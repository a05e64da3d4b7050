using Microsoft.Data.Sqlite;
using Nlps.Sdk.Storage;
using Nlps.Storage.Database;
using Nlps.Storage.KeyValue;

namespace Nlps.Storage.Vectors;

/// <summary>
/// One plugin's <see cref="IVectorStore"/>: vectors in <c>vec_items</c>, searched exactly from an in-memory copy of the
/// collection that is loaded on the first search after a write. Get one from <see cref="VectorStoreFactory"/>.
/// </summary>
public sealed class SqliteVectorStore : IVectorStore
{
    private const int MaxLimit = 1000;
    private const int MaxDimensions = 65536;

    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;
    private readonly VectorIndexCache cache;

    internal SqliteVectorStore(StateDatabase database, TimeProvider timeProvider, VectorIndexCache cache, string pluginId)
    {
        this.database = database;
        this.timeProvider = timeProvider;
        this.cache = cache;
        PluginId = pluginId;
    }

    /// <summary>The plugin whose collections this store sees.</summary>
    public string PluginId { get; }

    /// <inheritdoc />
    public async ValueTask EnsureCollectionAsync(string collection, int dimensions, VectorQuantization quantization = VectorQuantization.None, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, MaxDimensions);
        var name = VectorCodec.Name(quantization);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = connection.CreateCommand(
            "INSERT INTO vec_collections (plugin_id, name, dimensions, quantization, created_at) VALUES ($plugin, $name, $dims, $quant, $now) ON CONFLICT DO NOTHING")
            .With("$plugin", PluginId).With("$name", collection).With("$dims", dimensions).With("$quant", name)
            .With("$now", UtcTimestamp.ToText(timeProvider.GetUtcNow())))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var existing = await ReadCollectionAsync(connection, null, collection, cancellationToken).ConfigureAwait(false);
        if (existing is not { } found || found.Dimensions != dimensions || found.Quantization != quantization)
        {
            throw new ArgumentException(
                $"vector collection '{collection}' already exists with {existing?.Dimensions} dimensions and {existing?.Quantization} quantization, not {dimensions} and {quantization}",
                nameof(dimensions));
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT name FROM vec_collections WHERE plugin_id = $plugin ORDER BY name").With("$plugin", PluginId);
        return await command.ReadStringsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteCollectionAsync(string collection, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM vec_collections WHERE plugin_id = $plugin AND name = $name")
            .With("$plugin", PluginId).With("$name", collection);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        cache.Invalidate(PluginId, collection);
        return deleted;
    }

    /// <inheritdoc />
    public async ValueTask UpsertAsync(string collection, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        ArgumentNullException.ThrowIfNull(records);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var (dimensions, quantization) = await ReadCollectionAsync(connection, transaction, collection, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"vector collection '{collection}' does not exist");
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            KeyValueLimits.ValidateKey(record.Key, nameof(records));
            VectorCodec.Validate(record.Vector.Span, dimensions, $"vector '{record.Key}'");
        }

        await using var command = connection.CreateCommand("""
            INSERT INTO vec_items (plugin_id, collection, key, grp, scale, data) VALUES ($plugin, $collection, $key, $group, $scale, $data)
            ON CONFLICT (plugin_id, collection, key) DO UPDATE SET grp = excluded.grp, scale = excluded.scale, data = excluded.data
            """, transaction).With("$plugin", PluginId).With("$collection", collection);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var group = command.Parameters.Add("$group", SqliteType.Text);
        var scale = command.Parameters.Add("$scale", SqliteType.Real);
        var data = command.Parameters.Add("$data", SqliteType.Blob);
        foreach (var record in records)
        {
            var encoded = VectorCodec.Encode(record.Vector.Span, quantization);
            key.Value = record.Key;
            group.Value = (object?)record.Group ?? DBNull.Value;
            scale.Value = encoded.Scale;
            data.Value = encoded.Data;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        cache.Invalidate(PluginId, collection);
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteGroupAsync(string collection, string group, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        KeyValueLimits.ValidateKey(group, nameof(group));
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM vec_items WHERE plugin_id = $plugin AND collection = $collection AND grp = $group")
            .With("$plugin", PluginId).With("$collection", collection).With("$group", group);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cache.Invalidate(PluginId, collection);
        return deleted;
    }

    /// <inheritdoc />
    public async ValueTask<long> CountAsync(string collection, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT count(*) FROM vec_items WHERE plugin_id = $plugin AND collection = $collection")
            .With("$plugin", PluginId).With("$collection", collection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<VectorMatch>> SearchAsync(string collection, ReadOnlyMemory<float> query, int limit = 10, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(collection, nameof(collection));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);

        var index = cache.Get(PluginId, collection) ?? await LoadAsync(collection, cancellationToken).ConfigureAwait(false);
        VectorCodec.Validate(query.Span, index.Dimensions, "the query vector");
        return index.Search(query.Span, limit);
    }

    private async Task<VectorIndex> LoadAsync(string collection, CancellationToken cancellationToken)
    {
        var generation = cache.Generation(PluginId, collection);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var (dimensions, quantization) = await ReadCollectionAsync(connection, transaction, collection, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"vector collection '{collection}' does not exist");
        await using var command = connection.CreateCommand("SELECT key, grp, scale, data FROM vec_items WHERE plugin_id = $plugin AND collection = $collection ORDER BY key", transaction)
            .With("$plugin", PluginId).With("$collection", collection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<(string, string?, float, byte[])>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.GetNullableString(1), (float)reader.GetDouble(2), reader.GetFieldValue<byte[]>(3)));
        }

        var index = VectorIndex.Build(dimensions, quantization, rows);
        cache.Keep(PluginId, collection, generation, index);
        return index;
    }

    private async Task<(int Dimensions, VectorQuantization Quantization)?> ReadCollectionAsync(SqliteConnection connection, SqliteTransaction? transaction, string collection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT dimensions, quantization FROM vec_collections WHERE plugin_id = $plugin AND name = $name", transaction)
            .With("$plugin", PluginId).With("$name", collection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.GetInt32(0), VectorCodec.Parse(reader.GetString(1)))
            : null;
    }
}
