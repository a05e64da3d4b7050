using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Nlps.Provisioning.Backup;

/// <summary>
/// Writes a backup of a state folder (and the configuration file) as one tar archive while nlpsd may be running:
/// every SQLite database is copied through SQLite's online backup (a consistent snapshot, WAL included), other files
/// as they are; the models folder only when asked; the manifest with every file's SHA-256 goes last.
/// </summary>
public sealed class BackupWriter(TimeProvider timeProvider)
{
    private static readonly string[] Skipped = ["staging", "backup-staging"];
    private static readonly byte[] SqliteMagic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    public async Task<BackupManifest> WriteAsync(string stateFolder, string? configFile, bool includeModels, string archivePath, CancellationToken cancellationToken)
    {
        string state = Path.GetFullPath(stateFolder);
        if (!Directory.Exists(state))
        {
            throw new BackupException($"the state folder {state} does not exist");
        }

        var entries = new List<BackupEntry>();
        string temp = archivePath + ".partial";
        string snapshots = Path.Combine(Path.GetTempPath(), "nlps-backup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(snapshots);
        try
        {
            var output = PrivateFile.Create(temp);
            await using (output.ConfigureAwait(false))
            {
                var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
                await using (tar.ConfigureAwait(false))
                {
                    foreach (string file in Files(state, includeModels))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        string name = BackupManifest.StatePrefix + Path.GetRelativePath(state, file).Replace('\\', '/');
                        string source = IsSqlite(file) ? Snapshot(file, snapshots) : file;
                        entries.Add(await AddAsync(tar, source, name, cancellationToken).ConfigureAwait(false));
                    }

                    bool withConfig = configFile is not null && File.Exists(configFile);
                    if (withConfig)
                    {
                        entries.Add(await AddAsync(tar, configFile!, BackupManifest.ConfigEntry, cancellationToken).ConfigureAwait(false));
                    }

                    var manifest = new BackupManifest(BackupManifest.FormatName, BackupManifest.CurrentVersion, timeProvider.GetUtcNow(), state, includeModels, withConfig, entries);
                    byte[] json = JsonSerializer.SerializeToUtf8Bytes(manifest, ProvisioningJsonContext.Default.BackupManifest);
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.EntryName) { DataStream = new MemoryStream(json) };
                    await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                    output.Flush(flushToDisk: true);
                    File.Move(temp, archivePath, overwrite: true);
                    return manifest;
                }
            }
        }
        finally
        {
            Directory.Delete(snapshots, recursive: true);
            File.Delete(temp);
        }
    }

    private static IEnumerable<string> Files(string state, bool includeModels) =>
        Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories)
            .Where(f =>
            {
                string relative = Path.GetRelativePath(state, f).Replace('\\', '/');
                string top = relative.Split('/')[0];
                return !Skipped.Contains(top) && (includeModels || top != "models")
                    && !relative.EndsWith("-wal", StringComparison.Ordinal) && !relative.EndsWith("-shm", StringComparison.Ordinal)
                    && !relative.EndsWith("-journal", StringComparison.Ordinal);
            })
            .Order(StringComparer.Ordinal);

    private static bool IsSqlite(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> header = stackalloc byte[16];
        return stream.ReadAtLeast(header, 16, throwOnEndOfStream: false) == 16 && header.SequenceEqual(SqliteMagic);
    }

    // SQLite's online backup API: a consistent copy even while nlpsd writes (WAL frames included).
    private static string Snapshot(string database, string folder)
    {
        string copy = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".db");
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
        {
            source.Open();
            destination.Open();
            source.BackupDatabase(destination);
            using SqliteCommand journal = destination.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            journal.ExecuteNonQuery();
        }

        return copy;
    }

    private static async Task<BackupEntry> AddAsync(TarWriter tar, string source, string name, CancellationToken cancellationToken)
    {
        string sha;
        long bytes;
        var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous);
        await using (input.ConfigureAwait(false))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(input, cancellationToken).ConfigureAwait(false));
            bytes = input.Length;
            input.Position = 0;
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = input, Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        return new BackupEntry(name, bytes, sha);
    }
}
