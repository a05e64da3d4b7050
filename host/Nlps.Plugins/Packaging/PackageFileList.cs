using System.Text.Json;

namespace Nlps.Plugins.Packaging;

/// <summary>The contents of <c>files.json</c>: every entry of the package except <c>files.json</c> and <c>signature.json</c>,
/// sorted by path (ordinal).</summary>
public sealed record PackageFileList
{
    /// <summary>The listed files.</summary>
    public required IReadOnlyList<PackageFileEntry> Files { get; init; }

    /// <summary>Parses and checks <c>files.json</c>; throws <see cref="PackageRejectedException"/> with
    /// <see cref="PackageRejectionCodes.ListingInvalid"/> naming what is wrong.</summary>
    /// <param name="utf8Json">The bytes of <c>files.json</c>.</param>
    public static PackageFileList Parse(ReadOnlySpan<byte> utf8Json)
    {
        PackageFileList? list;
        try
        {
            list = JsonSerializer.Deserialize(utf8Json, PackagingJsonContext.Default.PackageFileList);
        }
        catch (JsonException ex)
        {
            throw Invalid($"files.json is not valid: {ex.Message}");
        }

        if (list?.Files is null)
        {
            throw Invalid("files.json has no 'files' array.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in list.Files)
        {
            if (file is null)
            {
                throw Invalid("files.json has a null entry.");
            }

            if (file.Path is PackageLayout.FileListPath or PackageLayout.SignaturePath)
            {
                throw Invalid($"files.json lists '{file.Path}', which is never listed.");
            }

            if (!seen.Add(file.Path))
            {
                throw Invalid($"files.json lists '{file.Path}' twice.");
            }

            if (file.Size < 0)
            {
                throw Invalid($"files.json gives '{file.Path}' a negative size.");
            }

            if (file.Sha256 is null || file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower))
            {
                throw Invalid($"files.json gives '{file.Path}' a sha256 that is not 64 lower-case hex digits.");
            }
        }

        return list;
    }

    /// <summary>Writes <c>files.json</c> in its canonical form: the exact bytes a signature covers.</summary>
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, PackagingJsonContext.Default.PackageFileList);

    private static PackageRejectedException Invalid(string message) => new(PackageRejectionCodes.ListingInvalid, message);
}
