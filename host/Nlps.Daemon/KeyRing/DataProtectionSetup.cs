using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Nlps.Daemon.Configuration;

namespace Nlps.Daemon.KeyRing;

/// <summary>
/// Session and antiforgery cookies are protected with keys kept in <c>&lt;state&gt;/keys</c> (so sessions survive a
/// restart), private to nlpsd's user, and encrypted with the certificate in <c>&lt;state&gt;/data-protection.pfx</c>.
/// Keys written unencrypted by an older nlpsd are still read; new ones are encrypted.
/// </summary>
internal static class DataProtectionSetup
{
    public const string KeyFolderName = "keys";
    public const string CertificateFileName = "data-protection.pfx";

    public static IServiceCollection AddPersistentDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("nlpsd");
        services.AddSingleton(sp => KeyProtectionCertificate.LoadOrCreate(
            Path.Combine(sp.GetRequiredService<IOptions<StateOptions>>().Value.FullPath, CertificateFileName),
            sp.GetRequiredService<TimeProvider>()));
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StateOptions>, KeyProtectionCertificate>((keys, state, protection) =>
        {
            keys.XmlRepository = new PrivateXmlKeyRepository(Path.Combine(state.Value.FullPath, KeyFolderName));
            keys.XmlEncryptor = new CertificateKeyEncryptor(protection);
        });
        return services;
    }
}
