using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Nlps.Plugins.Packaging;

/// <summary>The publisher public keys an appliance accepts package signatures from, by key id. Immutable.</summary>
public sealed class TrustedKeyRing
{
    // SubjectPublicKeyInfo DER by key id; an ECDsa is made per check so the ring holds no native handles.
    private readonly FrozenDictionary<string, byte[]> keys;

    private TrustedKeyRing(Dictionary<string, byte[]> keys) => this.keys = keys.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A ring that trusts nobody.</summary>
    public static TrustedKeyRing Empty { get; } = new([]);

    /// <summary>The ids of the trusted keys.</summary>
    public IEnumerable<string> KeyIds => keys.Keys;

    /// <summary>Builds a ring from SubjectPublicKeyInfo PEM texts (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    /// <param name="publicKeyPems">One PEM text per key.</param>
    /// <exception cref="InvalidSigningKeyException">A text is not a P-256 public key.</exception>
    public static TrustedKeyRing FromPem(params IEnumerable<string> publicKeyPems)
    {
        ArgumentNullException.ThrowIfNull(publicKeyPems);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var index = 0;
        foreach (var pem in publicKeyPems)
        {
            Add(keys, pem, $"trusted key #{index++}");
        }

        return new TrustedKeyRing(keys);
    }

    /// <summary>Builds a ring from PEM files, one public key per file.</summary>
    /// <param name="paths">The files.</param>
    /// <exception cref="InvalidSigningKeyException">A file does not hold a P-256 public key.</exception>
    public static TrustedKeyRing FromPemFiles(params IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            Add(keys, File.ReadAllText(path), $"trusted key file '{path}'");
        }

        return new TrustedKeyRing(keys);
    }

    /// <summary>True when the ring holds the key with this id.</summary>
    /// <param name="keyId">A key id.</param>
    public bool Contains(string keyId) => keys.ContainsKey(keyId);

    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="data"/> by the trusted key
    /// <paramref name="keyId"/>; false when it is not, or the key is not in the ring.</summary>
    /// <param name="keyId">The signer's key id.</param>
    /// <param name="data">The signed bytes.</param>
    /// <param name="signature">The IEEE P1363 signature.</param>
    public bool VerifySignature(string keyId, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (!keys.TryGetValue(keyId, out var subjectPublicKeyInfo))
        {
            return false;
        }

        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static void Add(Dictionary<string, byte[]> keys, string pem, string source)
    {
        using var key = EcdsaKeys.ImportPublicKey(pem, source);
        keys[EcdsaKeys.KeyIdOf(key)] = key.ExportSubjectPublicKeyInfo();
    }
}
