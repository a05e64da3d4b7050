namespace Nlps.Plugins.Packaging;

/// <summary>What <see cref="PackageBuilder"/> wrote.</summary>
public sealed record BuiltPackage
{
    /// <summary>The full path of the package file.</summary>
    public required string PackagePath { get; init; }

    /// <summary>SHA-256 of the package file, lower-case hex.</summary>
    public required string PackageSha256 { get; init; }

    /// <summary>The files listed in <c>files.json</c> (plugin.json and every lib/ file).</summary>
    public required IReadOnlyList<PackageFileEntry> Files { get; init; }

    /// <summary>The signing key's id; null for an unsigned package.</summary>
    public string? SignerKeyId { get; init; }
}
