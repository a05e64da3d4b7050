namespace Nlps.Plugins.Packaging;

/// <summary>The stable codes of <see cref="PackageRejectedException"/>. Scripts and the admin API rely on them: never rename one.</summary>
public static class PackageRejectionCodes
{
    /// <summary>The file is not a readable zip archive, or an entry's compressed data is corrupt.</summary>
    public const string NotAZip = "not_a_zip";

    /// <summary>An entry name is absolute, climbs with <c>..</c>, uses backslashes or a drive letter, is empty, a directory,
    /// outside <c>lib/</c>, a duplicate, or differs from another only by case.</summary>
    public const string EntryPathInvalid = "entry_path_invalid";

    /// <summary>An entry is a symbolic link.</summary>
    public const string EntrySymlink = "entry_symlink";

    /// <summary>The package, one file, all files together, the file count or a compression ratio is over its limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary><c>files.json</c> is absent, malformed, or lists a path twice or lists itself.</summary>
    public const string ListingInvalid = "listing_invalid";

    /// <summary><c>plugin.json</c> is absent.</summary>
    public const string ManifestMissing = "manifest_missing";

    /// <summary><c>plugin.json</c> does not parse or fails validation.</summary>
    public const string ManifestInvalid = "manifest_invalid";

    /// <summary>A file's size or SHA-256 differs from <c>files.json</c>.</summary>
    public const string HashMismatch = "hash_mismatch";

    /// <summary>An entry is not listed in <c>files.json</c>.</summary>
    public const string FileUnlisted = "file_unlisted";

    /// <summary>A file listed in <c>files.json</c> is not in the package.</summary>
    public const string FileMissing = "file_missing";

    /// <summary>The package is unsigned and unsigned packages are not allowed.</summary>
    public const string SignatureMissing = "signature_missing";

    /// <summary><c>signature.json</c> is malformed, names another algorithm, or its signature does not verify.</summary>
    public const string SignatureInvalid = "signature_invalid";

    /// <summary>The package is signed by a key that is not in the appliance's trusted key ring.</summary>
    public const string KeyUntrusted = "key_untrusted";

    /// <summary>The plugin was built against an SDK this appliance cannot offer.</summary>
    public const string SdkIncompatible = "sdk_incompatible";

    /// <summary>The manifest's <c>entryAssembly</c> is not in <c>lib/</c>.</summary>
    public const string EntryAssemblyMissing = "entry_assembly_missing";
}
