using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nlps.Daemon.KeyRing;

/// <summary>
/// The self-signed certificate whose RSA key encrypts the data-protection keys at rest. Made at first use and kept
/// as a PKCS#12 file (0600) in the state folder, outside the key folder: a copy of the key folder alone (a stray
/// archive, a log collector) does not open session cookies. It does not protect against someone who can read the
/// whole state folder as nlpsd's user; no key store on a plain Linux box does without a TPM or an operator's secret.
/// </summary>
internal sealed class KeyProtectionCertificate
{
    private KeyProtectionCertificate(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    public static KeyProtectionCertificate LoadOrCreate(string path, TimeProvider time)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            Create(path, time);
        }

        OwnerOnlyFile.Tighten(path);
        return new KeyProtectionCertificate(X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet));
    }

    private static void Create(string path, TimeProvider time)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=nlpsd data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var now = time.GetUtcNow();

        // Data protection never checks the dates; a long life spares the operator a rotation nothing would enforce.
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        var pkcs12 = certificate.Export(X509ContentType.Pkcs12);
        OwnerOnlyFile.Create(path, stream => stream.Write(pkcs12));
    }
}
