using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;

namespace Nlps.Provisioning.Backup;

/// <summary>
/// Restores a backup archive into a state folder. The whole archive is verified first (our format, every entry listed
/// in the manifest with the same SHA-256, nothing missing, no unsafe name); a corrupt or foreign archive is refused
/// before anything is touched. The new state is extracted beside the old one and swapped in by renames; the old
/// folder (and configuration file) is kept as <c>*.before-restore</c>. nlpsd must be stopped.
/// </summary>
public sealed class BackupRestorer
{
    public async Task<BackupManifest> VerifyAsync(string archivePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(archivePath))
        {
            throw new BackupException($"{archivePath} does not exist");
        }

        var hashes = new Dictionary<string, (long Bytes, string Sha256)>(StringComparer.Ordinal);
        BackupManifest? manifest = null;
        try
        {
            await ForEachEntryAsync(archivePath, async (entry, data) =>
            {
                if (entry.Name == BackupManifest.EntryName)
                {
                    manifest = await JsonSerializer.DeserializeAsync(data, ProvisioningJsonContext.Default.BackupManifest, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (SafeName(entry.Name) is { } problem)
                {
                    throw new BackupException($"{archivePath}: entry '{entry.Name}' {problem}");
                }

                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                byte[] buffer = new byte[1 << 16];
                long bytes = 0;
                int read;
                while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    bytes += read;
                }

                hashes[entry.Name] = (bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or EndOfStreamException or FormatException)
        {
            throw new BackupException($"{archivePath} is not a readable nlps backup: {ex.Message}");
        }

        if (manifest is not { Format: BackupManifest.FormatName })
        {
            throw new BackupException($"{archivePath} is not an nlps backup (no {BackupManifest.EntryName} of format '{BackupManifest.FormatName}')");
        }

        if (manifest.Version > BackupManifest.CurrentVersion)
        {
            throw new BackupException($"{archivePath} is backup format version {manifest.Version}; this nlpsctl reads up to {BackupManifest.CurrentVersion}");
        }

        foreach (BackupEntry file in manifest.Files)
        {
            if (!hashes.Remove(file.Path, out var actual))
            {
                throw new BackupException($"{archivePath}: {file.Path} is listed in the manifest but missing from the archive");
            }

            if (actual.Sha256 != file.Sha256 || actual.Bytes != file.Bytes)
            {
                throw new BackupException($"{archivePath}: {file.Path} is corrupt (SHA-256 {actual.Sha256}, the manifest says {file.Sha256})");
            }
        }

        if (hashes.Count > 0)
        {
            throw new BackupException($"{archivePath}: {hashes.Keys.First()} is in the archive but not in its manifest");
        }

        return manifest;
    }

    public async Task<BackupManifest> RestoreAsync(string archivePath, string stateFolder, string? configFile, string suffix, CancellationToken cancellationToken)
    {
        BackupManifest manifest = await VerifyAsync(archivePath, cancellationToken).ConfigureAwait(false);
        string state = Path.GetFullPath(stateFolder).TrimEnd(Path.DirectorySeparatorChar);
        string incoming = state + ".restoring";
        if (Directory.Exists(incoming))
        {
            Directory.Delete(incoming, recursive: true);
        }

        Directory.CreateDirectory(incoming);
        string? configIncoming = configFile is null ? null : configFile + ".restoring";
        await ForEachEntryAsync(archivePath, async (entry, data) =>
        {
            string? target = entry.Name.StartsWith(BackupManifest.StatePrefix, StringComparison.Ordinal)
                ? Path.Combine(incoming, entry.Name[BackupManifest.StatePrefix.Length..])
                : entry.Name == BackupManifest.ConfigEntry ? configIncoming : null;
            if (target is null)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var output = PrivateFile.Create(target);
            await using (output.ConfigureAwait(false))
            {
                await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
        }, cancellationToken).ConfigureAwait(false);

        // Models were not in the archive: keep the ones on the box.
        string models = Path.Combine(state, "models");
        if (!manifest.IncludesModels && Directory.Exists(models))
        {
            CopyFolder(models, Path.Combine(incoming, "models"));
        }

        if (Directory.Exists(state))
        {
            Directory.Move(state, state + ".before-restore-" + suffix);
        }

        Directory.Move(incoming, state);
        if (configIncoming is not null && File.Exists(configIncoming))
        {
            if (File.Exists(configFile))
            {
                File.Move(configFile!, configFile + ".before-restore-" + suffix);
            }

            File.Move(configIncoming, configFile!);
        }

        return manifest;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string? SafeName(string name) =>
        name.StartsWith('/') || name.Split('/').Any(p => p is ".." or "") ? "is not a safe relative path"
        : !(name.StartsWith(BackupManifest.StatePrefix, StringComparison.Ordinal) || name == BackupManifest.ConfigEntry) ? "is not part of an nlps backup"
        : null;

    private static async Task ForEachEntryAsync(string archivePath, Func<TarEntry, Stream, Task> visit, CancellationToken cancellationToken)
    {
        var input = File.OpenRead(archivePath);
        await using (input.ConfigureAwait(false))
        {
            var reader = new TarReader(input);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    {
                        throw new BackupException($"{archivePath}: entry '{entry.Name}' is a {entry.EntryType}, not a plain file");
                    }

                    await visit(entry, entry.DataStream ?? Stream.Null).ConfigureAwait(false);
                }
            }
        }
    }
}
