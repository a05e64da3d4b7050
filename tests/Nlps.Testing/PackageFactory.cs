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
    public Task<string> BuildAsync(string project, PluginManifest manifest, bool signed = true, Action<string>? alter = null) =>
        BuildFromAsync(RepositoryPaths.TestPluginOutput(project), manifest, signed, alter);

    /// <summary>Packs a first-party agent from plugins/ with the manifest in its project folder (as nlpsctl pack stamps it).</summary>
    public Task<string> BuildFirstPartyAsync(string project, Func<PluginManifest, PluginManifest>? change = null)
    {
        var authored = File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "plugins", project, "plugin.json"));
        var manifest = ManifestJson.Parse(authored) with { SdkVersion = SdkCompatibility.Current.ToString() };
        return BuildFromAsync(RepositoryPaths.PluginOutput(project), change?.Invoke(manifest) ?? manifest, signed: true, alter: null);
    }

    private async Task<string> BuildFromAsync(string buildOutput, PluginManifest manifest, bool signed, Action<string>? alter)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var staging = Path.Combine(folder, $"publish-{Guid.NewGuid():N}");
        CopyFolder(buildOutput, staging);
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
