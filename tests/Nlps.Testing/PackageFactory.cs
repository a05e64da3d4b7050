using Nlps.Plugins.Packaging;
using Nlps.Sdk.Manifest;

namespace Nlps.Testing;

/// <summary>Builds real .nlpkg files from the test plugins' build output, signed with a key made for the test run.</summary>
public sealed class PackageFactory(string folder)
{
    private static readonly Lazy<SigningKeyPair> VendorKey = new(SigningKeyPair.Generate);

    public static SigningKeyPair Vendor => VendorKey.Value;

    public static TrustedKeyRing TrustedKeys => TrustedKeyRing.FromPem(Vendor.PublicKeyPem);

    /// <summary>Writes the vendor public key to a PEM file (for an appliance's Plugins:TrustedKeyFiles).</summary>
    public string WriteTrustedKeyFile()
    {
        var path = Path.Combine(folder, "vendor.public.pem");
        File.WriteAllText(path, Vendor.PublicKeyPem);
        return path;
    }

    /// <summary>Packs <paramref name="project"/>'s output with <paramref name="manifest"/>; <paramref name="alter"/> may change the files first.</summary>
    public async Task<string> BuildAsync(string project, PluginManifest manifest, bool signed = true, Action<string>? alter = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var staging = Path.Combine(folder, $"publish-{Guid.NewGuid():N}");
        CopyFolder(RepositoryPaths.TestPluginOutput(project), staging);
        alter?.Invoke(staging);
        var output = Path.Combine(folder, $"{manifest.Id}-{manifest.Version}-{Guid.NewGuid():N}.nlpkg");
        using var signer = signed ? PackageSigner.FromPrivateKeyPem(Vendor.PrivateKeyPem) : null;
        await new PackageBuilder(signer).BuildAsync(staging, manifest, output);
        Directory.Delete(staging, recursive: true);
        return output;
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
