using System.Security.Cryptography;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Packaging;

/// <summary>
/// Reads a package's manifest, file list and claimed signature without extracting it, for <c>nlpsctl</c> to show what
/// a package is. It applies the structural checks and the default size limits but verifies no hash or signature:
/// install through <see cref="PackageVerifier"/>.
/// </summary>
public static class PackageReader
{
    /// <summary>Describes the package at <paramref name="packagePath"/>.</summary>
    /// <param name="packagePath">The package file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="PackageRejectedException">The file is not a readable package.</exception>
    public static async Task<PackageDescription> ReadAsync(string packagePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        var limits = new PackageVerificationOptions();
        await using var stream = PackageArchive.OpenFile(packagePath, limits.MaxPackageBytes);
        var packageSha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        stream.Position = 0;

        await using var archive = await PackageArchive.OpenZipAsync(stream, cancellationToken).ConfigureAwait(false);
        var entries = PackageArchive.IndexEntries(archive, limits.MaxFileCount);
        var budget = new InflationBudget(limits.MaxUncompressedBytes, limits.MaxFileBytes, limits.MaxCompressionRatio);

        var manifestJson = await budget.ReadAllBytesAsync(entries[PackageLayout.ManifestPath], PackageLayout.MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        PluginManifest manifest;
        try
        {
            manifest = ManifestJson.Parse(manifestJson);
        }
        catch (InvalidManifestException ex)
        {
            throw new PackageRejectedException(PackageRejectionCodes.ManifestInvalid, $"The manifest is invalid: {ex.Message}", ex);
        }

        var fileListJson = await budget.ReadAllBytesAsync(entries[PackageLayout.FileListPath], PackageLayout.MaxFileListBytes, cancellationToken).ConfigureAwait(false);
        PackageSignature? signature = null;
        if (entries.TryGetValue(PackageLayout.SignaturePath, out var signatureEntry))
        {
            signature = PackageSignature.Parse(await budget.ReadAllBytesAsync(signatureEntry, PackageLayout.MaxSignatureBytes, cancellationToken).ConfigureAwait(false));
        }

        return new PackageDescription
        {
            Manifest = manifest,
            Files = PackageFileList.Parse(fileListJson).Files,
            Signature = signature,
            PackageSha256 = packageSha256,
        };
    }
}
