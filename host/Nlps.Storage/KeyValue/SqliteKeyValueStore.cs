using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nlps.Sdk.Storage;
using Nlps.Storage.Database;

namespace Nlps.Storage.KeyValue;

/// <summary>
/// One plugin's <see cref="IKeyValueStore"/>, kept in the <c>kv</c> table of the state database. Every write is its own
/// SQLite transaction, so it is durable when the call returns. Get one from <see cref="KeyValueStoreFactory"/>.
/// </summary>
public sealed class SqliteKeyValueStore : IKeyValueStore
{
    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;

    internal SqliteKeyValueStore(StateDatabase database, TimeProvider timeProvider, string pluginId)
    {
        this.database = database;
        this.timeProvider = timeProvider;
        PluginId = pluginId;
    }

    /// <summary>The plugin whose keys this store sees.</summary>
    public string PluginId { get; }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(key);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT value FROM kv WHERE plugin_id = $plugin AND key = $key")
            .With("$plugin", PluginId)
            .With("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // SQLite hands back a zero-length blob as NULL.
        return reader.IsDBNull(0) ? [] : reader.GetFieldValue<byte[]>(0);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is not 1-512 characters, or the value is over 16 MiB; nothing is written.</exception>
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(key);
        KeyValueLimits.ValidateValueLength(value.Length);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("""
                INSERT INTO kv (plugin_id, key, value, updated_at) VALUES ($plugin, $key, $value, $now)
                ON CONFLICT (plugin_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """)
            .With("$plugin", PluginId)
            .With("$key", key)
            .With("$value", AsArray(value))
            .With("$now", UtcTimestamp.ToText(timeProvider.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidateKey(key);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM kv WHERE plugin_id = $plugin AND key = $key")
            .With("$plugin", PluginId)
            .With("$key", key);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Matching is exact for any Unicode prefix (<c>%</c> and <c>_</c> are ordinary characters): it is a range on the
    /// primary key, not <c>LIKE</c>. Keys come in code-point order, which is ordinal order except that characters
    /// above U+FFFF sort after U+E000-U+FFFF.
    /// </remarks>
    public async IAsyncEnumerable<string> ListKeysAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        KeyValueLimits.ValidatePrefix(prefix);

        var upperBound = prefix.Length == 0 ? null : KeyValueLimits.UpperBoundOfPrefix(prefix);
        var sql = "SELECT key FROM kv WHERE plugin_id = $plugin AND key >= $prefix"
            + (upperBound is null ? string.Empty : " AND key < $upper")
            + " ORDER BY key";

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(sql)
            .With("$plugin", PluginId)
            .With("$prefix", prefix)
            .With("$upper", upperBound);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.GetString(0);
        }
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> value) =>
        MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : value.ToArray();
}
