using System.Formats.Tar;
using Microsoft.Data.Sqlite;
using Nlps.Provisioning.Backup;
using Nlps.Testing;

namespace Nlps.Provisioning.Tests.Backup;

public sealed class BackupRoundTripTests
{
    private static readonly TimeProvider Time = new FakeTimeProvider();

    [Fact]
    public async Task A_backup_taken_while_the_database_is_open_in_WAL_restores_every_row_and_file()
    {
        using var work = new TempFolder("nlps-backup-");
        string state = MakeState(work);
        string config = work.Combine("nlps.json");
        await File.WriteAllTextAsync(config, """{"Agents":{"nlps.translator":{"style":"격식체"}}}""");
        using (SqliteConnection open = Open(Path.Combine(state, "nlps.db")))
        {
            // Rows still only in the WAL (no checkpoint) while the backup runs.
            Execute(open, "INSERT INTO notes(text) VALUES ('체크포인트 전 행')");
            await new BackupWriter(Time).WriteAsync(state, config, includeModels: false, work.Combine("box.nlpsbak"), CancellationToken.None);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(work.Combine("box.nlpsbak")));
        File.WriteAllText(Path.Combine(state, "plugins", "nlps.translator", "plugin.json"), "changed after the backup");
        File.WriteAllText(config, "{}");

        await new BackupRestorer().RestoreAsync(work.Combine("box.nlpsbak"), state, config, "t1", CancellationToken.None);

        using (SqliteConnection restored = Open(Path.Combine(state, "nlps.db")))
        {
            Assert.Equal(["백업 전 행", "체크포인트 전 행"], Query(restored, "SELECT text FROM notes ORDER BY id"));
        }

        Assert.Equal("""{"id":"nlps.translator"}""", File.ReadAllText(Path.Combine(state, "plugins", "nlps.translator", "plugin.json")));
        Assert.Equal("model bytes", File.ReadAllText(Path.Combine(state, "models", "chat", "model.safetensors")));
        Assert.Contains("격식체", File.ReadAllText(config), StringComparison.Ordinal);
        Assert.Equal("changed after the backup", File.ReadAllText(Path.Combine(state + ".before-restore-t1", "plugins", "nlps.translator", "plugin.json")));
        Assert.Equal("{}", File.ReadAllText(config + ".before-restore-t1"));
    }

    [Fact]
    public async Task Models_are_archived_only_when_asked()
    {
        using var work = new TempFolder("nlps-backup-");
        string state = MakeState(work);

        BackupManifest without = await new BackupWriter(Time).WriteAsync(state, null, includeModels: false, work.Combine("a.nlpsbak"), CancellationToken.None);
        BackupManifest with = await new BackupWriter(Time).WriteAsync(state, null, includeModels: true, work.Combine("b.nlpsbak"), CancellationToken.None);

        Assert.DoesNotContain(without.Files, f => f.Path.StartsWith("state/models/", StringComparison.Ordinal));
        Assert.Contains(with.Files, f => f.Path == "state/models/chat/model.safetensors");
    }

    [Fact]
    public async Task A_corrupt_archive_is_refused_and_the_state_is_untouched()
    {
        using var work = new TempFolder("nlps-backup-");
        string state = MakeState(work);
        string archive = work.Combine("box.nlpsbak");
        await new BackupWriter(Time).WriteAsync(state, null, includeModels: false, archive, CancellationToken.None);
        byte[] bytes = await File.ReadAllBytesAsync(archive);
        int at = IndexOf(bytes, "{\"id\":\"nlps.translator\"}"u8.ToArray());
        bytes[at + 2] ^= 0x20;
        await File.WriteAllBytesAsync(archive, bytes);
        string[] before = Snapshot(state);

        var refusal = await Assert.ThrowsAsync<BackupException>(() => new BackupRestorer().RestoreAsync(archive, state, null, "t1", CancellationToken.None));

        Assert.Contains("state/plugins/nlps.translator/plugin.json is corrupt", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(state));
        Assert.False(Directory.Exists(state + ".restoring"));
    }

    [Fact]
    public async Task A_foreign_tar_is_refused()
    {
        using var work = new TempFolder("nlps-backup-");
        string state = MakeState(work);
        string archive = work.Combine("other.tar");
        await using (FileStream output = File.Create(archive))
        {
            await using var tar = new TarWriter(output);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "state/nlps.db") { DataStream = new MemoryStream("not ours"u8.ToArray()) });
        }

        string[] before = Snapshot(state);
        var refusal = await Assert.ThrowsAsync<BackupException>(() => new BackupRestorer().RestoreAsync(archive, state, null, "t1", CancellationToken.None));

        Assert.Contains("is not an nlps backup", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(state));
    }

    private static string MakeState(TempFolder work)
    {
        string state = work.Combine("state");
        Directory.CreateDirectory(Path.Combine(state, "plugins", "nlps.translator"));
        Directory.CreateDirectory(Path.Combine(state, "models", "chat"));
        File.WriteAllText(Path.Combine(state, "plugins", "nlps.translator", "plugin.json"), """{"id":"nlps.translator"}""");
        File.WriteAllText(Path.Combine(state, "models", "chat", "model.safetensors"), "model bytes");
        File.WriteAllText(Path.Combine(state, "admin.token"), "token");
        using SqliteConnection db = Open(Path.Combine(state, "nlps.db"));
        Execute(db, "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES ('백업 전 행');");
        return state;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static string[] Snapshot(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => $"{Path.GetRelativePath(folder, f)}:{Convert.ToHexString(File.ReadAllBytes(f))}")];

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new InvalidOperationException("not found");
    }
}
