using System.IO.Compression;

namespace Nlps.Plugins.Packaging;

/// <summary>Opens a package file as a zip and checks its structure from the central directory alone (nothing is
/// inflated): entry count, names, symlinks, duplicates, and the presence of <c>plugin.json</c> and <c>files.json</c>.</summary>
internal static class PackageArchive
{
    private const int SymlinkFileType = 0xA000;
    private const int FileTypeMask = 0xF000;

    public static FileStream OpenFile(string packagePath, long maxPackageBytes)
    {
        var stream = new FileStream(packagePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 81920, FileOptions.Asynchronous);
        if (stream.Length > maxPackageBytes)
        {
            var length = stream.Length;
            stream.Dispose();
            throw new PackageRejectedException(
                PackageRejectionCodes.TooLarge,
                $"Package too large: the package file is {length} bytes, over the limit of {maxPackageBytes} bytes.");
        }

        return stream;
    }

    public static async Task<ZipArchive> OpenZipAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new PackageRejectedException(PackageRejectionCodes.NotAZip, $"The file is not a valid .nlpkg (zip) archive: {ex.Message}", ex);
        }
    }

    /// <summary>Returns the entries by name after checking every name and attribute.</summary>
    public static Dictionary<string, ZipArchiveEntry> IndexEntries(ZipArchive archive, int maxFileCount)
    {
        if (archive.Entries.Count > maxFileCount)
        {
            throw new PackageRejectedException(
                PackageRejectionCodes.TooLarge,
                $"Package too large: it has {archive.Entries.Count} entries, over the limit of {maxFileCount}.");
        }

        var byName = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var byFoldedName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var folders = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            if (PackageEntryPath.FindProblem(name) is { } problem)
            {
                throw PathInvalid($"Entry '{Printable(name)}' {problem}.");
            }

            if (((entry.ExternalAttributes >> 16) & FileTypeMask) == SymlinkFileType)
            {
                throw new PackageRejectedException(PackageRejectionCodes.EntrySymlink, $"Entry '{name}' is a symbolic link; packages may hold regular files only.");
            }

            if (!byName.TryAdd(name, entry))
            {
                throw PathInvalid($"Entry '{name}' appears twice (duplicate entry).");
            }

            if (!byFoldedName.TryAdd(name, name))
            {
                throw PathInvalid($"Entries '{byFoldedName[name]}' and '{name}' differ only by case.");
            }

            for (var slash = name.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = name.IndexOf('/', slash + 1))
            {
                folders.Add(name[..slash]);
            }
        }

        if (byName.Keys.FirstOrDefault(folders.Contains) is { } clash)
        {
            throw PathInvalid($"Entry '{clash}' is both a file and the folder of other entries.");
        }

        if (!byName.ContainsKey(PackageLayout.ManifestPath))
        {
            throw new PackageRejectedException(PackageRejectionCodes.ManifestMissing, $"The package has no {PackageLayout.ManifestPath} (manifest missing).");
        }

        if (!byName.ContainsKey(PackageLayout.FileListPath))
        {
            throw new PackageRejectedException(PackageRejectionCodes.ListingInvalid, $"The package has no {PackageLayout.FileListPath}, the list of its files and their hashes.");
        }

        return byName;
    }

    private static PackageRejectedException PathInvalid(string message) => new(PackageRejectionCodes.EntryPathInvalid, message);

    private static string Printable(string name) => new(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
