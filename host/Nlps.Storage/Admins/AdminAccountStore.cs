using Microsoft.Data.Sqlite;
using Nlps.Storage.Database;

namespace Nlps.Storage.Admins;

/// <summary>Console administrator accounts in the state database.</summary>
public sealed class AdminAccountStore
{
    private const string Columns = "username, password_hash, security_stamp, created_at, created_by, password_set_at, failed_logins, locked_until, last_login_at";
    private readonly StateDatabase database;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The state database.</param>
    public AdminAccountStore(StateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>How many accounts exist (none means the console is in its first-run state).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("SELECT count(*) FROM admin_accounts");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Adds <paramref name="account"/>; false when its name is taken, or when <paramref name="onlyIfNone"/> is set and
    /// any account exists (the first-run form: two browsers racing create one account, not two).
    /// </summary>
    /// <param name="account">The new account.</param>
    /// <param name="onlyIfNone">Add only into an empty table.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<bool> TryAddAsync(AdminAccountRecord account, bool onlyIfNone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(account.Username, nameof(account));
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"""
                INSERT INTO admin_accounts ({Columns})
                SELECT $username, $hash, $stamp, $created, $by, $set, 0, NULL, NULL
                WHERE NOT EXISTS (SELECT 1 FROM admin_accounts WHERE username = $username OR $onlyIfNone = 1)
                """)
            .With("$username", account.Username)
            .With("$hash", account.PasswordHash)
            .With("$stamp", account.SecurityStamp)
            .With("$created", UtcTimestamp.ToText(account.CreatedAt))
            .With("$by", account.CreatedBy)
            .With("$set", UtcTimestamp.ToText(account.PasswordSetAt))
            .With("$onlyIfNone", onlyIfNone ? 1 : 0);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The account named <paramref name="username"/>, or null.</summary>
    /// <param name="username">The login name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<AdminAccountRecord?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"SELECT {Columns} FROM admin_accounts WHERE username = $username").With("$username", username);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>Every account, by name.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<AdminAccountRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"SELECT {Columns} FROM admin_accounts ORDER BY username");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var accounts = new List<AdminAccountRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(Read(reader));
        }

        return accounts;
    }

    /// <summary>
    /// Counts a wrong password in one statement (so concurrent guesses cannot undercount); when the count reaches
    /// <paramref name="maxFailures"/> the account locks until <paramref name="lockUntil"/> and the count restarts.
    /// Returns the account as it is afterwards, or null when there is none.
    /// </summary>
    /// <param name="username">The login name.</param>
    /// <param name="maxFailures">Failures that lock the account.</param>
    /// <param name="lockUntil">When a lock set now ends.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<AdminAccountRecord?> RecordFailedLoginAsync(string username, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"""
                UPDATE admin_accounts SET
                    locked_until  = CASE WHEN failed_logins + 1 >= $max THEN $until ELSE locked_until END,
                    failed_logins = CASE WHEN failed_logins + 1 >= $max THEN 0 ELSE failed_logins + 1 END
                WHERE username = $username
                RETURNING {Columns}
                """)
            .With("$username", username)
            .With("$max", maxFailures)
            .With("$until", UtcTimestamp.ToText(lockUntil));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>Records a successful login: clears the failure count and any lock.</summary>
    /// <param name="username">The login name.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task RecordLoginAsync(string username, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("UPDATE admin_accounts SET failed_logins = 0, locked_until = NULL, last_login_at = $at WHERE username = $username")
            .With("$username", username)
            .With("$at", UtcTimestamp.ToText(at));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the password hash and the security stamp (ending other sessions) and clears any lock; false when there is no such account.</summary>
    /// <param name="username">The login name.</param>
    /// <param name="passwordHash">The new hash.</param>
    /// <param name="securityStamp">The new stamp.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<bool> SetPasswordAsync(string username, string passwordHash, string securityStamp, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("""
                UPDATE admin_accounts
                SET password_hash = $hash, security_stamp = $stamp, password_set_at = $at, failed_logins = 0, locked_until = NULL
                WHERE username = $username
                """)
            .With("$username", username)
            .With("$hash", passwordHash)
            .With("$stamp", securityStamp)
            .With("$at", UtcTimestamp.ToText(at));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Deletes the account unless it is the only one left (one statement, so two deletions racing cannot remove the
    /// last two). Null when there is no such account; false when it is the last.
    /// </summary>
    /// <param name="username">The login name.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<bool?> DeleteUnlessLastAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = connection.CreateCommand("DELETE FROM admin_accounts WHERE username = $username AND (SELECT count(*) FROM admin_accounts) > 1")
            .With("$username", username);
        if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            return true;
        }

        await using var exists = connection.CreateCommand("SELECT count(*) FROM admin_accounts WHERE username = $username").With("$username", username);
        return Convert.ToInt32(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1 ? false : null;
    }

    /// <summary>Clears the account's failure count and lock; false when there is no such account.</summary>
    /// <param name="username">The login name.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<bool> UnlockAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("UPDATE admin_accounts SET failed_logins = 0, locked_until = NULL WHERE username = $username")
            .With("$username", username);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static AdminAccountRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        UtcTimestamp.Parse(reader.GetString(3)),
        reader.GetString(4),
        UtcTimestamp.Parse(reader.GetString(5)),
        reader.GetInt32(6),
        reader.IsDBNull(7) ? null : UtcTimestamp.Parse(reader.GetString(7)),
        reader.IsDBNull(8) ? null : UtcTimestamp.Parse(reader.GetString(8)));
}
