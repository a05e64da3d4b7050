using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Nlps.Daemon.KeyRing;

/// <summary>
/// Encrypts each data-protection key before it is written: a fresh AES-256-GCM key seals the key's XML, and the
/// certificate's RSA key wraps that AES key (OAEP with SHA-256). ASP.NET Core's own certificate encryptor needs the
/// certificate in an X.509 store (or registered before the container exists) to decrypt, which a systemd service
/// without a home folder has not; this pair reads it from <see cref="KeyProtectionCertificate"/>.
/// </summary>
internal sealed class CertificateKeyEncryptor(KeyProtectionCertificate protection) : IXmlEncryptor
{
    public const string ElementName = "encryptedWithCertificate";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var contentKey = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        try
        {
            using (var aes = new AesGcm(contentKey, TagBytes))
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag);
            }

            using var rsa = protection.Certificate.GetRSAPublicKey() ?? throw new CryptographicException("the key protection certificate has no RSA key");
            var element = new XElement(
                ElementName,
                new XAttribute("certificate", protection.Certificate.Thumbprint),
                new XAttribute("algorithm", "RSA-OAEP-SHA256, AES-256-GCM"),
                new XElement("wrappedKey", Convert.ToBase64String(rsa.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256))),
                new XElement("nonce", Convert.ToBase64String(nonce)),
                new XElement("tag", Convert.ToBase64String(tag)),
                new XElement("ciphertext", Convert.ToBase64String(ciphertext)));
            return new EncryptedXmlInfo(element, typeof(CertificateKeyDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }
}
