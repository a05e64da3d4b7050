using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Nlps.Storage.Database;

/// <summary>
/// The appliance's one SQLite database (WAL mode) for its own state. Opening it creates the folder and the file
/// and brings the schema up to <see cref="Migrations.LatestVersion"/>; each store opens a short-lived pooled
/// connection per operation through <see cref="OpenConnection"/>.
/// </summary>
public sealed partial class StateDatabase : IDisposable
{
    /// <summary>How long a writer waits for another connection's write lock before failing with SQLITE_BUSY.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private const int SqliteNotADatabase = 26;

    private static readonly string ConnectionPragmas = string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");

    private readonly string connectionString;
    private readonly ILogger<StateDatabase> logger;

    private StateDatabase(string path, string connectionString, int schemaVersion, ILogger<StateDatabase> logger)
    {
        Path = path;
        this.connectionString = connectionString;
        SchemaVersion = schemaVersion;
        this.logger = logger;
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version of the file after opening (<c>PRAGMA user_version</c>).</summary>
    public int SchemaVersion { get; }

    /// <summary>
    /// Opens (creating if needed) the database at <paramref name="databasePath"/>, switches it to WAL and applies the
    /// migrations it lacks.
    /// </summary>
    /// <param name="databasePath">The database file; its folder is created when missing.</param>
    /// <param name="timeProvider">Times the migrations for the log.</param>
    /// <param name="logger">The log.</param>
    /// <exception cref="StateDatabaseException">
    /// The file is not a SQLite database, its schema is newer than this build knows, or it cannot be opened.
    /// </exception>
    public static StateDatabase Open(string databasePath, TimeProvider timeProvider, ILogger<StateDatabase> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

        var path = System.IO.Path.GetFullPath(databasePath);
        var folder = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            EnableWriteAheadLog(connection, path, logger);
            Execute(connection, ConnectionPragmas);
            var schemaVersion = Migrate(connection, path, timeProvider, logger);
            Log.Opened(logger, path, schemaVersion);
            return new StateDatabase(path, connectionString, schemaVersion, logger);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteNotADatabase)
        {
            ClearPool(connectionString);
            throw new StateDatabaseException(
                $"{path} is not a SQLite database; move it aside or restore a backup of the state database", ex);
        }
        catch (SqliteException ex)
        {
            ClearPool(connectionString);
            throw new StateDatabaseException($"cannot open the state database {path}: {ex.Message}", ex);
        }
        catch (StateDatabaseException)
        {
            ClearPool(connectionString);
            throw;
        }
    }

    /// <summary>An open connection with the appliance's pragmas set (foreign keys, busy timeout, synchronous=NORMAL). The caller disposes it.</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, ConnectionPragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>As <see cref="OpenConnection"/>, for async callers.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand(ConnectionPragmas);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>True when the database file can be read now (a readiness probe: it reads the schema version from the file).</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand("PRAGMA user_version");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SqliteException ex)
        {
            Log.CheckFailed(logger, Path, ex);
            return false;
        }
    }

    /// <summary>Closes the pooled connections to this file (the last close checkpoints the WAL).</summary>
    public void Dispose() => ClearPool(connectionString);

    // Used by Dispose, and when Open refuses a file, so that no pooled connection keeps it open.
    private static void ClearPool(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static void EnableWriteAheadLog(SqliteConnection connection, string path, ILogger logger)
    {
        using var command = connection.CreateCommand("PRAGMA journal_mode = WAL");
        var mode = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            // Some file systems (network mounts) cannot hold the WAL index; the database still works, with less concurrency.
            Log.WriteAheadLogUnavailable(logger, path, mode ?? "unknown");
        }
    }

    private static int Migrate(SqliteConnection connection, string path, TimeProvider timeProvider, ILogger logger)
    {
        var current = ReadSchemaVersion(connection, transaction: null);
        if (current > Migrations.LatestVersion)
        {
            throw new StateDatabaseException(
                $"database schema {current} is newer than this nlpsd ({Migrations.LatestVersion}); upgrade nlpsd or restore a backup ({path})");
        }

        foreach (var migration in Migrations.All)
        {
            if (migration.Version <= current)
            {
                continue;
            }

            var started = timeProvider.GetTimestamp();
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                // Another process may have migrated between our read and our write lock.
                current = ReadSchemaVersion(connection, transaction);
                if (migration.Version <= current)
                {
                    continue;
                }

                Execute(connection, migration.Sql, transaction);
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {migration.Version}"), transaction);
                transaction.Commit();
            }

            current = migration.Version;
            Log.MigrationApplied(logger, path, migration.Version, migration.Description, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }

        return current;
    }

    private static int ReadSchemaVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand("PRAGMA user_version", transaction);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand(sql, transaction);
        command.ExecuteNonQuery();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, EventName = "StateDatabaseOpened", Level = LogLevel.Information,
            Message = "State database {Path} open at schema version {SchemaVersion}")]
        public static partial void Opened(ILogger logger, string path, int schemaVersion);

        [LoggerMessage(EventId = 1002, EventName = "StateDatabaseMigrationApplied", Level = LogLevel.Information,
            Message = "State database {Path} migrated to schema version {Version} ({Description}) in {ElapsedMs:F0} ms")]
        public static partial void MigrationApplied(ILogger logger, string path, int version, string description, double elapsedMs);

        [LoggerMessage(EventId = 1003, EventName = "StateDatabaseWalUnavailable", Level = LogLevel.Warning,
            Message = "State database {Path} could not switch to WAL and runs in journal mode {Mode}")]
        public static partial void WriteAheadLogUnavailable(ILogger logger, string path, string mode);

        [LoggerMessage(EventId = 1004, EventName = "StateDatabaseCheckFailed", Level = LogLevel.Warning,
            Message = "State database {Path} failed its check")]
        public static partial void CheckFailed(ILogger logger, string path, Exception exception);
    }
}
