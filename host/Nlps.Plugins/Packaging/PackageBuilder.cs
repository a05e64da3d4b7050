using System.IO.Compression;
using System.Security.Cryptography;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Packaging;

/// <summary>
/// Builds a <c>.nlpkg</c> from a plugin's <c>dotnet publish</c> folder and its manifest, signed when a signer is given.
/// The output is reproducible (entries sorted by path, fixed timestamps and attributes) and appears atomically: it is
/// written to a temporary file beside the target and renamed over it.
/// </summary>
public sealed class PackageBuilder
{
    private readonly PackageSigner? signer;

    /// <summary>Creates a builder.</summary>
    /// <param name="signer">Signs the packages; null builds unsigned packages (accepted only where the appliance allows them).</param>
    public PackageBuilder(PackageSigner? signer = null) => this.signer = signer;

    /// <summary>Packs <paramref name="publishDirectory"/> (as <c>lib/</c>) with <paramref name="manifest"/> into <paramref name="outputPath"/>.</summary>
    /// <param name="publishDirectory">The plugin's published files; <c>entryAssembly</c> must be at its top.</param>
    /// <param name="manifest">The manifest to write as <c>plugin.json</c>.</param>
    /// <param name="outputPath">The package file to write (replaced if present).</param>
    /// <param name="cancellationToken">Stops the build; no output is left behind.</param>
    /// <exception cref="InvalidManifestException">The manifest is not valid.</exception>
    /// <exception cref="PackageBuildException">The folder cannot be packed (entry assembly missing, a symlink, a name the format forbids).</exception>
    public async Task<BuiltPackage> BuildAsync(string publishDirectory, PluginManifest manifest, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(publishDirectory);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ManifestValidator.Validate(manifest);

        var root = Path.GetFullPath(publishDirectory);
        var output = Path.GetFullPath(outputPath);
        if (!Directory.Exists(root))
        {
            throw new PackageBuildException($"The publish folder '{root}' does not exist.");
        }

        if (output.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new PackageBuildException($"The package '{output}' would be written inside the folder it packs, '{root}'.");
        }

        var libFiles = CollectLibFiles(root);
        if (!libFiles.ContainsKey(PackageLayout.LibPrefix + manifest.EntryAssembly))
        {
            throw new PackageBuildException($"The manifest's entryAssembly '{manifest.EntryAssembly}' is not at the top of the publish folder '{root}'.");
        }

        var manifestJson = ManifestJson.Serialize(manifest);
        var listed = new List<PackageFileEntry> { Describe(PackageLayout.ManifestPath, manifestJson) };
        foreach (var (entryName, filePath) in libFiles)
        {
            listed.Add(await DescribeFileAsync(entryName, filePath, cancellationToken).ConfigureAwait(false));
        }

        listed.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var fileList = new PackageFileList { Files = listed };
        var fileListJson = fileList.Serialize();
        var signatureJson = signer?.SignFileList(fileListJson).Serialize();

        var temporary = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await WriteZipAsync(temporary, manifestJson, fileList, fileListJson, signatureJson, libFiles, cancellationToken).ConfigureAwait(false);
            var sha256 = await HashFileAsync(temporary, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, output, overwrite: true);
            return new BuiltPackage { PackagePath = output, PackageSha256 = sha256, Files = listed, SignerKeyId = signer?.KeyId };
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Maps each file under <paramref name="root"/> to its entry name, refusing what the verifier would refuse.</summary>
    private static SortedDictionary<string, string> CollectLibFiles(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var item in new DirectoryInfo(root).EnumerateFileSystemInfos("*", enumeration))
        {
            if (item.LinkTarget is not null)
            {
                throw new PackageBuildException($"'{item.FullName}' is a symbolic link; a package holds regular files only.");
            }

            if (item is DirectoryInfo)
            {
                continue;
            }

            var entryName = PackageLayout.LibPrefix + Path.GetRelativePath(root, item.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (PackageEntryPath.FindProblem(entryName) is { } problem)
            {
                throw new PackageBuildException($"'{item.FullName}' cannot be packed: its entry name '{entryName}' {problem}.");
            }

            if (!folded.TryAdd(entryName, entryName))
            {
                throw new PackageBuildException($"'{folded[entryName]}' and '{entryName}' differ only by case; a package must extract the same on every file system.");
            }

            files.Add(entryName, item.FullName);
        }

        return files;
    }

    private static PackageFileEntry Describe(string entryName, byte[] content) => new()
    {
        Path = entryName,
        Size = content.Length,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
    };

    private static async Task<PackageFileEntry> DescribeFileAsync(string entryName, string filePath, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(filePath);
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        return new PackageFileEntry { Path = entryName, Size = stream.Length, Sha256 = sha256 };
    }

    private static async Task WriteZipAsync(
        string path,
        byte[] manifestJson,
        PackageFileList fileList,
        byte[] fileListJson,
        byte[]? signatureJson,
        SortedDictionary<string, string> libFiles,
        CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 81920, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            var archive = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
            await using (archive.ConfigureAwait(false))
            {
                var contents = new SortedDictionary<string, byte[]?>(StringComparer.Ordinal)
                {
                    [PackageLayout.ManifestPath] = manifestJson,
                    [PackageLayout.FileListPath] = fileListJson,
                };
                if (signatureJson is not null)
                {
                    contents[PackageLayout.SignaturePath] = signatureJson;
                }

                foreach (var entryName in libFiles.Keys)
                {
                    contents[entryName] = null;
                }

                var listed = fileList.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
                foreach (var (entryName, bytes) in contents)
                {
                    var entry = archive.CreateEntry(entryName, CompressionLevel.Optimal);
                    entry.LastWriteTime = PackageLayout.EntryTimestamp;
                    entry.ExternalAttributes = PackageLayout.RegularFileAttributes;
                    var entryStream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using (entryStream.ConfigureAwait(false))
                    {
                        if (bytes is not null)
                        {
                            await entryStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await CopyUnchangedAsync(libFiles[entryName], listed[entryName], entryStream, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    // The listing was hashed in a first pass; a file that changed since would make a package that fails its own check.
    private static async Task CopyUnchangedAsync(string filePath, PackageFileEntry listed, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var source = OpenRead(filePath);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        if (size != listed.Size || Convert.ToHexStringLower(hash.GetHashAndReset()) != listed.Sha256)
        {
            throw new PackageBuildException($"'{filePath}' changed while it was being packed; build again.");
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
