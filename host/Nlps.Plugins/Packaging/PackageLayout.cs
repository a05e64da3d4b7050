namespace Nlps.Plugins.Packaging;

/// <summary>Names and fixed values of the <c>.nlpkg</c> format.</summary>
public static class PackageLayout
{
    /// <summary>The file extension of a package, with its dot.</summary>
    public const string Extension = ".nlpkg";

    /// <summary>The manifest entry.</summary>
    public const string ManifestPath = "plugin.json";

    /// <summary>The listing of every other entry with its size and SHA-256; the signed bytes.</summary>
    public const string FileListPath = "files.json";

    /// <summary>The detached signature over <see cref="FileListPath"/>; absent in an unsigned package.</summary>
    public const string SignaturePath = "signature.json";

    /// <summary>The folder holding the plugin's published files.</summary>
    public const string LibPrefix = "lib/";

    /// <summary>The only signature algorithm: ECDSA on P-256 over SHA-256, signature in IEEE P1363 form (r || s).</summary>
    public const string SignatureAlgorithm = "ECDSA-P256-SHA256";

    // A fixed timestamp on every entry keeps a build byte-for-byte reproducible (the zip format cannot store pre-1980).
    internal static readonly DateTimeOffset EntryTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Regular file, rw-r--r--, in the high 16 bits as Unix zip tools write it.
    internal const int RegularFileAttributes = (0x8000 | 0x1A4) << 16;

    // Caps for the small JSON entries, so reading them can never be the zip bomb.
    internal const long MaxManifestBytes = 1024 * 1024;
    internal const long MaxFileListBytes = 16 * 1024 * 1024;
    internal const long MaxSignatureBytes = 64 * 1024;
}
