using Microsoft.Data.Sqlite;
using Nlps.Storage.Database;

namespace Nlps.Storage.ApiKeys;

/// <summary>API keys in the state database. Rows are never deleted: a revoked key stays listed (and refused).</summary>
public sealed class ApiKeyStore
{
    private const string Columns = "id, name, secret_sha256, scopes, requests_per_minute, created_at, created_by, expires_at, revoked_at, last_used_at";
    private readonly StateDatabase database;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The state database.</param>
    public ApiKeyStore(StateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Adds a new key.</summary>
    /// <param name="key">The key; its id must be new.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var scope in key.Scopes)
        {
            if (scope.Length == 0 || scope.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"scope '{scope}' is empty or contains white space", nameof(key));
            }
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"""
                INSERT INTO api_keys ({Columns})
                VALUES ($id, $name, $hash, $scopes, $rpm, $created, $by, $expires, $revoked, $used)
                """)
            .With("$id", key.Id)
            .With("$name", key.Name)
            .With("$hash", key.SecretSha256)
            .With("$scopes", string.Join(' ', key.Scopes))
            .With("$rpm", key.RequestsPerMinute)
            .With("$created", UtcTimestamp.ToText(key.CreatedAt))
            .With("$by", key.CreatedBy)
            .With("$expires", key.ExpiresAt is { } expires ? UtcTimestamp.ToText(expires) : null)
            .With("$revoked", key.RevokedAt is { } revoked ? UtcTimestamp.ToText(revoked) : null)
            .With("$used", key.LastUsedAt is { } used ? UtcTimestamp.ToText(used) : null);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key with <paramref name="id"/>, or null.</summary>
    /// <param name="id">The key id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"SELECT {Columns} FROM api_keys WHERE id = $id").With("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>Every key, newest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"SELECT {Columns} FROM api_keys ORDER BY created_at DESC, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>Marks the key revoked at <paramref name="at"/>; false when there is no such key or it was already revoked.</summary>
    /// <param name="id">The key id.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL")
            .With("$id", id)
            .With("$at", UtcTimestamp.ToText(at));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Records that the key authenticated a request at <paramref name="at"/>.</summary>
    /// <param name="id">The key id.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("UPDATE api_keys SET last_used_at = $at WHERE id = $id")
            .With("$id", id)
            .With("$at", UtcTimestamp.ToText(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ApiKeyRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        (byte[])reader.GetValue(2),
        reader.GetString(3).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        reader.IsDBNull(4) ? null : reader.GetInt32(4),
        UtcTimestamp.Parse(reader.GetString(5)),
        reader.GetString(6),
        ReadInstant(reader, 7),
        ReadInstant(reader, 8),
        ReadInstant(reader, 9));

    private static DateTimeOffset? ReadInstant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : UtcTimestamp.Parse(reader.GetString(ordinal));
}
