using System.Text.Json;

namespace Nlps.Plugins.Packaging;

/// <summary>The contents of <c>signature.json</c>: who signed <c>files.json</c>, and the signature.</summary>
public sealed record PackageSignature
{
    /// <summary>Always <see cref="PackageLayout.SignatureAlgorithm"/>.</summary>
    public required string Algorithm { get; init; }

    /// <summary>The signer's key id: the first 16 lower-case hex digits of SHA-256 over its SubjectPublicKeyInfo.</summary>
    public required string KeyId { get; init; }

    /// <summary>The IEEE P1363 signature over the bytes of <c>files.json</c>, base64.</summary>
    public required string Signature { get; init; }

    /// <summary>Parses <c>signature.json</c>; throws <see cref="PackageRejectedException"/> with
    /// <see cref="PackageRejectionCodes.SignatureInvalid"/> when it is malformed.</summary>
    /// <param name="utf8Json">The bytes of <c>signature.json</c>.</param>
    public static PackageSignature Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, PackagingJsonContext.Default.PackageSignature)
                ?? throw new PackageRejectedException(PackageRejectionCodes.SignatureInvalid, "signature.json is empty (null).");
        }
        catch (JsonException ex)
        {
            throw new PackageRejectedException(PackageRejectionCodes.SignatureInvalid, $"signature.json is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Writes <c>signature.json</c>.</summary>
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, PackagingJsonContext.Default.PackageSignature);
}
