using System.Security.Cryptography;

namespace Nlps.Plugins.Packaging;

/// <summary>Signs packages with a publisher's ECDSA P-256 private key.</summary>
public sealed class PackageSigner : IDisposable
{
    private readonly ECDsa key;

    private PackageSigner(ECDsa key)
    {
        this.key = key;
        KeyId = EcdsaKeys.KeyIdOf(key);
    }

    /// <summary>The id of the key, as written to <c>signature.json</c>.</summary>
    public string KeyId { get; }

    /// <summary>Creates a signer from a PKCS#8 or SEC1 PEM private key.</summary>
    /// <param name="privateKeyPem">The PEM text.</param>
    /// <exception cref="InvalidSigningKeyException">The text is not a P-256 private key.</exception>
    public static PackageSigner FromPrivateKeyPem(string privateKeyPem) =>
        new(EcdsaKeys.ImportPrivateKey(privateKeyPem, "the private key"));

    /// <summary>Creates a signer from a PEM private key file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidSigningKeyException">The file does not hold a P-256 private key.</exception>
    public static PackageSigner FromPrivateKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(EcdsaKeys.ImportPrivateKey(File.ReadAllText(path), $"private key file '{path}'"));
    }

    /// <summary>Signs <paramref name="data"/> (SHA-256, IEEE P1363 signature of 64 bytes).</summary>
    /// <param name="data">The bytes to sign: a package's <c>files.json</c>.</param>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>Signs a file listing and returns the <c>signature.json</c> record for it.</summary>
    /// <param name="fileListJson">The exact bytes of <c>files.json</c>.</param>
    public PackageSignature SignFileList(ReadOnlySpan<byte> fileListJson) => new()
    {
        Algorithm = PackageLayout.SignatureAlgorithm,
        KeyId = KeyId,
        Signature = Convert.ToBase64String(Sign(fileListJson)),
    };

    /// <inheritdoc />
    public void Dispose() => key.Dispose();
}
