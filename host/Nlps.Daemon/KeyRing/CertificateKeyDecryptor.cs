using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Nlps.Daemon.KeyRing;

/// <summary>
/// Opens what <see cref="CertificateKeyEncryptor"/> sealed. Data protection creates it by the type name written in
/// the key file, with the service provider, so its constructor must stay public and take only that.
/// </summary>
internal sealed class CertificateKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var certificate = services.GetRequiredService<KeyProtectionCertificate>().Certificate;
        var thumbprint = (string?)encryptedElement.Attribute("certificate");
        if (!string.Equals(thumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new CryptographicException($"this key was encrypted with certificate {thumbprint}, not with this appliance's {certificate.Thumbprint}");
        }

        using var rsa = certificate.GetRSAPrivateKey() ?? throw new CryptographicException("the key protection certificate has no RSA private key");
        var contentKey = rsa.Decrypt(Read(encryptedElement, "wrappedKey"), RSAEncryptionPadding.OaepSHA256);
        var ciphertext = Read(encryptedElement, "ciphertext");
        var tag = Read(encryptedElement, "tag");
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using (var aes = new AesGcm(contentKey, tag.Length))
            {
                aes.Decrypt(Read(encryptedElement, "nonce"), ciphertext, tag, plaintext);
            }

            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    private static byte[] Read(XElement encrypted, string name) =>
        Convert.FromBase64String((string?)encrypted.Element(name) ?? throw new CryptographicException($"the encrypted key has no <{name}>"));
}
