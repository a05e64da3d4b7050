namespace Nlps.Plugins.Packaging;

/// <summary>One line of <c>files.json</c>: an entry of the package, its size and its SHA-256.</summary>
public sealed record PackageFileEntry
{
    /// <summary>The entry's path inside the package, with forward slashes (e.g. <c>lib/Acme.Translator.dll</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The uncompressed size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256 of the uncompressed bytes, lower-case hex.</summary>
    public required string Sha256 { get; init; }
}
