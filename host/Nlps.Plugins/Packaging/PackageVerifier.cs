using System.IO.Compression;
using System.Security.Cryptography;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Packaging;

/// <summary>
/// Checks a <c>.nlpkg</c> and extracts it into a fresh folder, in this order: structure, sizes and entry names; the
/// listing and its signature; every file's size and SHA-256 (while inflating, under the limits); the manifest and SDK
/// compatibility. Nothing from the package is ever executed. On any failure, cancellation included, the folder is
/// deleted before the exception leaves.
/// </summary>
/// <remarks>
/// The signature is checked before any <c>lib/</c> file is inflated, so bytes from an untrusted publisher never reach
/// the disk; the signature covers <c>files.json</c>, and the hashes in it then cover every file.
/// </remarks>
public sealed class PackageVerifier
{
    private readonly PackageVerificationOptions options;

    /// <summary>Creates a verifier.</summary>
    /// <param name="options">Limits, trusted keys and the host SDK version; defaults when null.</param>
    public PackageVerifier(PackageVerificationOptions? options = null)
    {
        this.options = options ?? new PackageVerificationOptions();
        this.options.Validate();
    }

    /// <summary>Verifies <paramref name="packagePath"/> and extracts it under <paramref name="stagingRoot"/>.</summary>
    /// <param name="packagePath">The package file.</param>
    /// <param name="stagingRoot">The folder to create the extraction folder in (created if absent).</param>
    /// <param name="cancellationToken">Stops the work; the partial folder is removed.</param>
    /// <returns>The verified package, extracted.</returns>
    /// <exception cref="PackageRejectedException">The package failed a check; <see cref="PackageRejectedException.Code"/> says which.</exception>
    public async Task<VerifiedPackage> VerifyAndExtractAsync(string packagePath, string stagingRoot, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        ArgumentException.ThrowIfNullOrEmpty(stagingRoot);
        cancellationToken.ThrowIfCancellationRequested();

        var root = Directory.CreateDirectory(stagingRoot).FullName;
        var extractedDirectory = Path.Combine(root, $"nlpkg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(extractedDirectory);
        try
        {
            return await VerifyIntoAsync(packagePath, extractedDirectory, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DeleteExtraction(extractedDirectory);
            throw;
        }
    }

    private static void DeleteExtraction(string extractedDirectory)
    {
        try
        {
            Directory.Delete(extractedDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The rejection matters more than the leftover; the installer sweeps stale staging folders at start.
        }
    }

    private async Task<VerifiedPackage> VerifyIntoAsync(string packagePath, string extractedDirectory, CancellationToken cancellationToken)
    {
        await using var stream = PackageArchive.OpenFile(packagePath, options.MaxPackageBytes);
        var packageSha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        stream.Position = 0;

        await using var archive = await PackageArchive.OpenZipAsync(stream, cancellationToken).ConfigureAwait(false);
        var entries = PackageArchive.IndexEntries(archive, options.MaxFileCount);
        var budget = new InflationBudget(options.MaxUncompressedBytes, options.MaxFileBytes, options.MaxCompressionRatio);

        var fileListJson = await budget.ReadAllBytesAsync(entries[PackageLayout.FileListPath], PackageLayout.MaxFileListBytes, cancellationToken).ConfigureAwait(false);
        var fileList = PackageFileList.Parse(fileListJson);
        CheckListingMatchesEntries(fileList, entries);

        byte[]? signatureJson = null;
        if (entries.TryGetValue(PackageLayout.SignaturePath, out var signatureEntry))
        {
            signatureJson = await budget.ReadAllBytesAsync(signatureEntry, PackageLayout.MaxSignatureBytes, cancellationToken).ConfigureAwait(false);
        }

        var signerKeyId = CheckSignature(fileListJson, signatureJson);

        foreach (var file in fileList.Files)
        {
            await ExtractAndCheckAsync(entries[file.Path], file, extractedDirectory, budget, cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllBytesAsync(Path.Combine(extractedDirectory, PackageLayout.FileListPath), fileListJson, cancellationToken).ConfigureAwait(false);
        if (signatureJson is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(extractedDirectory, PackageLayout.SignaturePath), signatureJson, cancellationToken).ConfigureAwait(false);
        }

        var manifest = await ReadManifestAsync(extractedDirectory, cancellationToken).ConfigureAwait(false);
        CheckSdk(manifest);
        if (!entries.ContainsKey(PackageLayout.LibPrefix + manifest.EntryAssembly))
        {
            throw new PackageRejectedException(
                PackageRejectionCodes.EntryAssemblyMissing,
                $"The manifest's entryAssembly '{manifest.EntryAssembly}' is not in the package (expected {PackageLayout.LibPrefix}{manifest.EntryAssembly}).");
        }

        return new VerifiedPackage
        {
            Manifest = manifest,
            ExtractedDirectory = extractedDirectory,
            PackageSha256 = packageSha256,
            SignerKeyId = signerKeyId,
            Files = fileList.Files,
        };
    }

    private static void CheckListingMatchesEntries(PackageFileList fileList, Dictionary<string, ZipArchiveEntry> entries)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in fileList.Files)
        {
            listed.Add(file.Path);
            if (!entries.ContainsKey(file.Path))
            {
                throw new PackageRejectedException(PackageRejectionCodes.FileMissing, $"File '{file.Path}' is listed in {PackageLayout.FileListPath} but missing from the package.");
            }
        }

        foreach (var name in entries.Keys)
        {
            if (name is not (PackageLayout.FileListPath or PackageLayout.SignaturePath) && !listed.Contains(name))
            {
                throw new PackageRejectedException(PackageRejectionCodes.FileUnlisted, $"Entry '{name}' is in the package but not listed in {PackageLayout.FileListPath} (unlisted file).");
            }
        }
    }

    /// <summary>Returns the signer's key id, or null for an unsigned package that the options allow.</summary>
    private string? CheckSignature(byte[] fileListJson, byte[]? signatureJson)
    {
        if (signatureJson is null)
        {
            return options.AllowUnsigned
                ? null
                : throw new PackageRejectedException(PackageRejectionCodes.SignatureMissing, $"The package is unsigned (no {PackageLayout.SignaturePath}) and this appliance accepts signed packages only.");
        }

        var signature = PackageSignature.Parse(signatureJson);
        if (signature.Algorithm != PackageLayout.SignatureAlgorithm)
        {
            throw new PackageRejectedException(PackageRejectionCodes.SignatureInvalid, $"The signature uses algorithm '{signature.Algorithm}'; only {PackageLayout.SignatureAlgorithm} is accepted.");
        }

        if (!options.TrustedKeys.Contains(signature.KeyId))
        {
            throw new PackageRejectedException(PackageRejectionCodes.KeyUntrusted, $"The package is signed by key '{signature.KeyId}', which is not a trusted key on this appliance.");
        }

        var signatureBytes = new byte[signature.Signature.Length];
        if (!Convert.TryFromBase64String(signature.Signature, signatureBytes, out var length)
            || !options.TrustedKeys.VerifySignature(signature.KeyId, fileListJson, signatureBytes.AsSpan(0, length)))
        {
            throw new PackageRejectedException(PackageRejectionCodes.SignatureInvalid, $"The signature by key '{signature.KeyId}' does not verify: {PackageLayout.FileListPath} was altered or signed by another key.");
        }

        return signature.KeyId;
    }

    private static async Task ExtractAndCheckAsync(ZipArchiveEntry entry, PackageFileEntry file, string extractedDirectory, InflationBudget budget, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(Path.Combine(extractedDirectory, file.Path));
        if (!target.StartsWith(extractedDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            // PackageEntryPath already refuses such names; this guards the guard.
            throw new PackageRejectedException(PackageRejectionCodes.EntryPathInvalid, $"Entry '{file.Path}' would extract outside its folder.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var fileLimit = file.Path == PackageLayout.ManifestPath ? PackageLayout.MaxManifestBytes : long.MaxValue;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size;
        var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 81920, FileOptions.Asynchronous);
        await using (output.ConfigureAwait(false))
        {
            size = await budget.CopyAsync(entry, output, hash, fileLimit, cancellationToken).ConfigureAwait(false);
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (size != file.Size || sha256 != file.Sha256)
        {
            throw new PackageRejectedException(
                PackageRejectionCodes.HashMismatch,
                $"File '{file.Path}' does not match {PackageLayout.FileListPath} (hash mismatch): listed {file.Size} bytes sha256 {file.Sha256}, found {size} bytes sha256 {sha256}.");
        }
    }

    private static async Task<PluginManifest> ReadManifestAsync(string extractedDirectory, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(extractedDirectory, PackageLayout.ManifestPath), cancellationToken).ConfigureAwait(false);
        try
        {
            return ManifestJson.Parse(bytes);
        }
        catch (InvalidManifestException ex)
        {
            throw new PackageRejectedException(PackageRejectionCodes.ManifestInvalid, $"The manifest is invalid: {ex.Message}", ex);
        }
    }

    private void CheckSdk(PluginManifest manifest)
    {
        var pluginSdk = SemanticVersion.Parse(manifest.SdkVersion);
        if (!SdkCompatibility.IsCompatible(pluginSdk, options.HostSdkVersion, out var reason))
        {
            throw new PackageRejectedException(PackageRejectionCodes.SdkIncompatible, $"The plugin is not compatible with this appliance's SDK: {reason}.");
        }
    }
}
