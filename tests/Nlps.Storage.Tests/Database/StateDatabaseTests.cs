using System.Text;
using Microsoft.Data.Sqlite;
using Nlps.Storage.Database;
using Nlps.Storage.Settings;
using Nlps.Storage.Tests.Support;

namespace Nlps.Storage.Tests.Database;

public sealed class StateDatabaseTests : IDisposable
{
    private readonly TemporaryDatabase temporary = new();

    public void Dispose() => temporary.Dispose();

    [Fact]
    public void Open_creates_the_missing_folder_and_the_file()
    {
        var database = temporary.Database;

        Assert.Equal(temporary.FilePath, database.Path);
        Assert.True(File.Exists(temporary.FilePath));
    }

    [Fact]
    public async Task Open_puts_the_database_in_wal_mode_with_a_wal_file_beside_it()
    {
        await new SettingsStore(temporary.Database, temporary.Time).SetAsync("probe", "1");

        using var connection = temporary.Database.OpenConnection();
        Assert.Equal("wal", Scalar<string>(connection, "PRAGMA journal_mode"));
        Assert.True(File.Exists(temporary.FilePath + "-wal"));
    }

    [Fact]
    public void OpenConnection_sets_foreign_keys_busy_timeout_and_normal_synchronous()
    {
        using var connection = temporary.Database.OpenConnection();

        Assert.Equal(1L, Scalar<long>(connection, "PRAGMA foreign_keys"));
        Assert.Equal((long)StateDatabase.BusyTimeout.TotalMilliseconds, Scalar<long>(connection, "PRAGMA busy_timeout"));
        Assert.Equal(1L, Scalar<long>(connection, "PRAGMA synchronous"));
    }

    [Fact]
    public void Open_applies_every_migration_and_records_the_latest_version()
    {
        var database = temporary.Database;

        Assert.Equal(Migrations.LatestVersion, database.SchemaVersion);
        using var connection = database.OpenConnection();
        Assert.Equal((long)Migrations.LatestVersion, Scalar<long>(connection, "PRAGMA user_version"));
        foreach (var table in new[] { "settings", "audit_log", "plugins", "plugin_versions", "kv" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            command.Parameters.AddWithValue("$name", table);
            Assert.Equal(1L, (long)command.ExecuteScalar()!);
        }
    }

    [Fact]
    public async Task Reopening_applies_no_migration_twice_and_keeps_the_data()
    {
        await new SettingsStore(temporary.Database, temporary.Time).SetAsync("language", "ko");
        temporary.CloseAll();

        // A migration applied again would fail: its CREATE TABLE statements have no IF NOT EXISTS.
        using var reopened = temporary.Open();
        using var again = temporary.Open();

        Assert.Equal(Migrations.LatestVersion, again.SchemaVersion);
        Assert.Equal("ko", await new SettingsStore(again, temporary.Time).GetAsync("language"));
    }

    [Fact]
    public void Migrations_are_numbered_from_one_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, Migrations.All.Count), Migrations.All.Select(m => m.Version));
        Assert.Equal(Migrations.All.Count, Migrations.LatestVersion);
    }

    [Fact]
    public void Open_refuses_a_schema_newer_than_this_build_with_a_clear_message()
    {
        var newer = Migrations.LatestVersion + 2;
        Directory.CreateDirectory(Path.GetDirectoryName(temporary.FilePath)!);
        using (var connection = new SqliteConnection($"Data Source={temporary.FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {newer}";
            command.ExecuteNonQuery();
        }

        var refusal = Assert.Throws<StateDatabaseException>(() => temporary.Open());

        Assert.Contains(
            $"database schema {newer} is newer than this nlpsd ({Migrations.LatestVersion}); upgrade nlpsd or restore a backup",
            refusal.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Open_refuses_a_file_that_is_not_a_database_naming_the_path_and_leaves_it_untouched()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(temporary.FilePath)!);
        var text = string.Concat(Enumerable.Repeat("this is not a database, it is a note. ", 100));
        File.WriteAllText(temporary.FilePath, text);

        var refusal = Assert.Throws<StateDatabaseException>(() => temporary.Open());

        Assert.Contains(temporary.FilePath, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(temporary.FilePath));
    }

    [Fact]
    public async Task CheckAsync_is_true_for_a_healthy_database()
    {
        Assert.True(await temporary.Database.CheckAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CheckAsync_is_false_when_the_file_has_been_replaced_by_garbage()
    {
        var database = temporary.Open();
        SqliteConnection.ClearAllPools();
        File.WriteAllBytes(database.Path, Encoding.ASCII.GetBytes(new string('x', 8192)));

        Assert.False(await database.CheckAsync(CancellationToken.None));
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }
}
