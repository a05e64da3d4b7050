using Nlps.Storage.Database;

namespace Nlps.Storage.Settings;

/// <summary>Appliance settings that change at run time (as opposed to <c>nlps.json</c>): text values by key.</summary>
public sealed class SettingsStore
{
    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The state database.</param>
    /// <param name="timeProvider">Stamps <c>updated_at</c>.</param>
    public SettingsStore(StateDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.database = database;
        this.timeProvider = timeProvider;
    }

    /// <summary>The value of <paramref name="key"/>, or null when it was never set.</summary>
    /// <param name="key">The setting's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT value FROM settings WHERE key = $key").With("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, replacing any earlier value.</summary>
    /// <param name="key">The setting's name.</param>
    /// <param name="value">The new value.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task SetAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("""
                INSERT INTO settings (key, value, updated_at) VALUES ($key, $value, $now)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """)
            .With("$key", key)
            .With("$value", value)
            .With("$now", UtcTimestamp.ToText(timeProvider.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes <paramref name="key"/>; nothing happens when it was never set.</summary>
    /// <param name="key">The setting's name.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM settings WHERE key = $key").With("$key", key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
