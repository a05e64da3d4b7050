using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Packaging;

/// <summary>What a package says about itself, read by <see cref="PackageReader"/> without extracting or verifying it.</summary>
public sealed record PackageDescription
{
    /// <summary>The manifest (parsed and validated, but not checked against the file hashes or signature).</summary>
    public required PluginManifest Manifest { get; init; }

    /// <summary>The files as <c>files.json</c> lists them.</summary>
    public required IReadOnlyList<PackageFileEntry> Files { get; init; }

    /// <summary>The claimed signature, or null when unsigned; not verified.</summary>
    public PackageSignature? Signature { get; init; }

    /// <summary>SHA-256 of the package file, lower-case hex.</summary>
    public required string PackageSha256 { get; init; }
}
