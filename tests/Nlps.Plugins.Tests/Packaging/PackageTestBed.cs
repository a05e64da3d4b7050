using Nlps.Plugins.Packaging;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Tests.Packaging;

/// <summary>A temp folder with a publish folder, a trusted publisher key, a staging root and a good signed package.</summary>
internal sealed class PackageTestBed : IDisposable
{
    private PackageTestBed(TempFolder temp, SigningKeyPair keyPair, string publishFolder)
    {
        Temp = temp;
        KeyPair = keyPair;
        Signer = PackageSigner.FromPrivateKeyPem(keyPair.PrivateKeyPem);
        PublishFolder = publishFolder;
        StagingRoot = temp.Combine("staging");
        TrustedKeys = TrustedKeyRing.FromPem(KeyPair.PublicKeyPem);
    }

    public TempFolder Temp { get; }

    public SigningKeyPair KeyPair { get; }

    public PackageSigner Signer { get; }

    public TrustedKeyRing TrustedKeys { get; }

    public string PublishFolder { get; }

    public string StagingRoot { get; }

    /// <summary>A good package signed by the trusted key.</summary>
    public string SignedPackage => Temp.Combine("acme.translator-1.2.0.nlpkg");

    public static async Task<PackageTestBed> CreateAsync(PluginManifest? manifest = null)
    {
        var temp = new TempFolder();
        var bed = new PackageTestBed(temp, SigningKeyPair.Generate(), SamplePlugin.WritePublishFolder(temp));
        await new PackageBuilder(bed.Signer).BuildAsync(bed.PublishFolder, manifest ?? SamplePlugin.Manifest(), bed.SignedPackage);
        return bed;
    }

    public string PathFor(string name) => Temp.Combine(name);

    public PackageVerificationOptions Options(bool allowUnsigned = false) => new() { TrustedKeys = TrustedKeys, AllowUnsigned = allowUnsigned };

    public Task<VerifiedPackage> VerifyAsync(string packagePath, PackageVerificationOptions? options = null, CancellationToken cancellationToken = default) =>
        new PackageVerifier(options ?? Options()).VerifyAndExtractAsync(packagePath, StagingRoot, cancellationToken);

    /// <summary>Asserts the package is rejected with <paramref name="code"/>, a message naming the problem, and nothing left in staging.</summary>
    public async Task<PackageRejectedException> AssertRejectedAsync(string packagePath, string code, string messagePart, PackageVerificationOptions? options = null)
    {
        var rejection = await Assert.ThrowsAsync<PackageRejectedException>(() => VerifyAsync(packagePath, options));
        Assert.Equal(code, rejection.Code);
        Assert.Contains(messagePart, rejection.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(Directory.Exists(StagingRoot), "the staging root should exist");
        Assert.Empty(Directory.EnumerateFileSystemEntries(StagingRoot));
        return rejection;
    }

    public void Dispose()
    {
        Signer.Dispose();
        Temp.Dispose();
    }
}
