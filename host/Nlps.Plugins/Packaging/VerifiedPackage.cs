using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Packaging;

/// <summary>A package that passed every check, extracted to a folder of its own. Nothing in it has been executed.</summary>
public sealed record VerifiedPackage
{
    /// <summary>The validated manifest.</summary>
    public required PluginManifest Manifest { get; init; }

    /// <summary>The folder holding <c>plugin.json</c>, <c>files.json</c>, <c>signature.json</c> (when signed) and
    /// <c>lib/</c>. The caller owns it: move it into place or delete it.</summary>
    public required string ExtractedDirectory { get; init; }

    /// <summary>SHA-256 of the package file, lower-case hex.</summary>
    public required string PackageSha256 { get; init; }

    /// <summary>The key id of the trusted key that signed the package; null when unsigned.</summary>
    public string? SignerKeyId { get; init; }

    /// <summary>True when the package carried a signature, and it verified against a trusted key.</summary>
    public bool IsSigned => SignerKeyId is not null;

    /// <summary>The files the package listed, all present and with matching hashes.</summary>
    public required IReadOnlyList<PackageFileEntry> Files { get; init; }
}
