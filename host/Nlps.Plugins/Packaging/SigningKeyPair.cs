using System.Security.Cryptography;

namespace Nlps.Plugins.Packaging;

/// <summary>A new package-signing key: the private half for the publisher, the public half for appliances' key rings.</summary>
public sealed class SigningKeyPair
{
    private SigningKeyPair(string privateKeyPem, string publicKeyPem, string keyId)
    {
        PrivateKeyPem = privateKeyPem;
        PublicKeyPem = publicKeyPem;
        KeyId = keyId;
    }

    /// <summary>The private key, PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>). Keep it secret.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>The public key, SubjectPublicKeyInfo PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string PublicKeyPem { get; }

    /// <summary>The key id that <c>signature.json</c> carries: 16 lower-case hex digits.</summary>
    public string KeyId { get; }

    /// <summary>Generates a fresh ECDSA P-256 key pair.</summary>
    public static SigningKeyPair Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new SigningKeyPair(key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem(), EcdsaKeys.KeyIdOf(key));
    }
}
