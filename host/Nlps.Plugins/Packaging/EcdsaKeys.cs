using System.Security.Cryptography;

namespace Nlps.Plugins.Packaging;

/// <summary>Imports P-256 keys from PEM with errors that say what is wrong, and derives key ids.</summary>
internal static class EcdsaKeys
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>Imports a PKCS#8 (<c>PRIVATE KEY</c>) or SEC1 (<c>EC PRIVATE KEY</c>) P-256 private key.</summary>
    public static ECDsa ImportPrivateKey(string pem, string source) =>
        Import(pem, source, ["PRIVATE KEY", "EC PRIVATE KEY"], static (key, label, der) =>
        {
            if (label == "PRIVATE KEY")
            {
                key.ImportPkcs8PrivateKey(der, out _);
            }
            else
            {
                key.ImportECPrivateKey(der, out _);
            }
        });

    /// <summary>Imports a SubjectPublicKeyInfo (<c>PUBLIC KEY</c>) P-256 public key.</summary>
    public static ECDsa ImportPublicKey(string pem, string source) =>
        Import(pem, source, ["PUBLIC KEY"], static (key, label, der) => key.ImportSubjectPublicKeyInfo(der, out _));

    /// <summary>The first 16 lower-case hex digits of SHA-256 over the key's SubjectPublicKeyInfo DER.</summary>
    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    private static ECDsa Import(string pem, string source, string[] labels, Action<ECDsa, string, byte[]> import)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new InvalidSigningKeyException($"{source} is not PEM text (expected '-----BEGIN {labels[0]}-----').");
        }

        var label = pem[fields.Label].ToString();
        if (!labels.Contains(label, StringComparer.Ordinal))
        {
            throw new InvalidSigningKeyException(
                $"{source} holds a '{label}' PEM block; expected {string.Join(" or ", labels.Select(l => $"'{l}'"))}.");
        }

        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem[fields.Base64Data], der, out var written) || written != der.Length)
        {
            throw new InvalidSigningKeyException($"{source}: the PEM body is not valid base64.");
        }

        var key = ECDsa.Create();
        try
        {
            import(key, label, der);
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new InvalidSigningKeyException($"{source} does not hold an ECDSA key (is it RSA, or damaged?): {ex.Message}", ex);
        }

        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (curve.Oid?.Value != P256Oid)
        {
            var name = curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "an explicit curve";
            key.Dispose();
            throw new InvalidSigningKeyException($"{source} is an ECDSA key on {name}; packages are signed with P-256 (nistP256) only.");
        }

        return key;
    }
}
