using System.Security.Cryptography;
using System.Text;
using Nlps.Plugins.Packaging;

namespace Nlps.Plugins.Tests.Packaging;

public sealed class SigningKeyTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("""{"files":[]}""");

    [Fact]
    public void Generated_key_id_is_16_hex_digits_of_the_public_key_hash()
    {
        var pair = SigningKeyPair.Generate();

        using var key = ECDsa.Create();
        key.ImportFromPem(pair.PublicKeyPem);
        var expected = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
        Assert.Equal(expected, pair.KeyId);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pair.PrivateKeyPem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pair.PublicKeyPem, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_from_the_private_key_verifies_with_the_public_key_in_a_ring()
    {
        var pair = SigningKeyPair.Generate();
        using var signer = PackageSigner.FromPrivateKeyPem(pair.PrivateKeyPem);
        var ring = TrustedKeyRing.FromPem(pair.PublicKeyPem);

        var signature = signer.Sign(Data);

        Assert.Equal(pair.KeyId, signer.KeyId);
        Assert.Equal(64, signature.Length);
        Assert.True(ring.Contains(pair.KeyId));
        Assert.True(ring.VerifySignature(pair.KeyId, Data, signature));
        Assert.False(ring.VerifySignature(pair.KeyId, Encoding.UTF8.GetBytes("""{"files":[1]}"""), signature));
    }

    [Fact]
    public void Ring_does_not_verify_a_signature_under_a_key_id_it_lacks()
    {
        var trusted = SigningKeyPair.Generate();
        var other = SigningKeyPair.Generate();
        using var otherSigner = PackageSigner.FromPrivateKeyPem(other.PrivateKeyPem);
        var ring = TrustedKeyRing.FromPem(trusted.PublicKeyPem);

        Assert.False(ring.Contains(other.KeyId));
        Assert.False(ring.VerifySignature(other.KeyId, Data, otherSigner.Sign(Data)));
    }

    [Fact]
    public void Ring_loads_keys_from_pem_files()
    {
        using var temp = new TempFolder();
        var first = SigningKeyPair.Generate();
        var second = SigningKeyPair.Generate();
        File.WriteAllText(temp.Combine("first.pem"), first.PublicKeyPem);
        File.WriteAllText(temp.Combine("second.pem"), second.PublicKeyPem);

        var ring = TrustedKeyRing.FromPemFiles(temp.Combine("first.pem"), temp.Combine("second.pem"));

        using var secondSigner = PackageSigner.FromPrivateKeyPem(second.PrivateKeyPem);
        Assert.Equal(new[] { first.KeyId, second.KeyId }.Order(StringComparer.Ordinal), ring.KeyIds.Order(StringComparer.Ordinal));
        Assert.True(ring.VerifySignature(second.KeyId, Data, secondSigner.Sign(Data)));
    }

    [Fact]
    public void Signer_loads_from_a_sec1_ec_private_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var signer = PackageSigner.FromPrivateKeyPem(key.ExportECPrivateKeyPem());

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16], signer.KeyId);
    }

    [Fact]
    public void Text_that_is_not_pem_is_refused_with_a_clear_error()
    {
        var error = Assert.Throws<InvalidSigningKeyException>(() => PackageSigner.FromPrivateKeyPem("not a key"));

        Assert.Contains("is not PEM text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Public_key_given_as_a_private_key_is_refused_naming_the_pem_label()
    {
        var pair = SigningKeyPair.Generate();

        var error = Assert.Throws<InvalidSigningKeyException>(() => PackageSigner.FromPrivateKeyPem(pair.PublicKeyPem));

        Assert.Contains("'PUBLIC KEY'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_pem_body_is_refused()
    {
        var pem = "-----BEGIN PUBLIC KEY-----\nAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PUBLIC KEY-----\n";

        var error = Assert.Throws<InvalidSigningKeyException>(() => TrustedKeyRing.FromPem(pem));

        Assert.Contains("does not hold an ECDSA key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rsa_key_is_refused_as_not_an_ecdsa_key()
    {
        using var rsa = RSA.Create(2048);

        var error = Assert.Throws<InvalidSigningKeyException>(() => TrustedKeyRing.FromPem(rsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("does not hold an ECDSA key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ecdsa_key_on_p384_is_refused_naming_the_curve()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var signerError = Assert.Throws<InvalidSigningKeyException>(() => PackageSigner.FromPrivateKeyPem(key.ExportPkcs8PrivateKeyPem()));
        var ringError = Assert.Throws<InvalidSigningKeyException>(() => TrustedKeyRing.FromPem(key.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("P-256", signerError.Message, StringComparison.Ordinal);
        Assert.Contains("1.3.132.0.34", ringError.Message, StringComparison.Ordinal);
    }
}
