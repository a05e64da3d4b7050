using System.Security.Cryptography;
using Nlps.Provisioning.Media;
using Nlps.Provisioning.Profiles;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Provisioning.Tests.Support;

/// <summary>
/// Builds the offline media for an example profile in provisioning/profiles: the committed data files from
/// provisioning/example-media/&lt;customer&gt;, a tiny random-weight model for each model, the first-party agents packed
/// and signed with the test vendor key, that key, and SHA256SUMS over all of it.
/// </summary>
public static class ExampleMedia
{
    private static readonly Dictionary<string, string> Projects = new(StringComparer.Ordinal)
    {
        ["nlps.translator"] = "Nlps.Agents.Translator",
        ["nlps.chatbot"] = "Nlps.Agents.Chatbot",
        ["nlps.keyword-graph"] = "Nlps.Agents.KeywordGraph",
    };

    public static string Profile(string customer) => Path.Combine(RepositoryPaths.Root, "provisioning", "profiles", customer + ".yaml");

    public static async Task<string> BuildAsync(string customer, string folder)
    {
        CustomerProfile profile = await ProfileReader.ReadFileAsync(Profile(customer), CancellationToken.None);
        Copy(Path.Combine(RepositoryPaths.Root, "provisioning", "example-media", customer), folder);
        foreach (ModelSpec model in profile.Models)
        {
            using var tiny = TinyModel.Create(TinyModelSpec.Llama3);
            Copy(tiny.Folder, Path.Combine(folder, model.Path));
        }

        string packing = Path.Combine(folder, ".packing");
        foreach (PluginSpec plugin in profile.Plugins)
        {
            string id = Path.GetFileNameWithoutExtension(plugin.Package);
            string built = await new PackageFactory(Directory.CreateDirectory(packing).FullName).BuildFirstPartyAsync(Projects[id]);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, plugin.Package))!);
            File.Move(built, Path.Combine(folder, plugin.Package));
        }

        Directory.Delete(packing, recursive: true);
        Directory.CreateDirectory(Path.Combine(folder, "keys"));
        await File.WriteAllTextAsync(Path.Combine(folder, "keys", "vendor.public.pem"), PackageFactory.Vendor.PublicKeyPem);
        await WriteChecksumsAsync(folder);
        return folder;
    }

    /// <summary>Writes SHA256SUMS as <c>sha256sum</c> would, for every file under <paramref name="folder"/>.</summary>
    public static async Task WriteChecksumsAsync(string folder)
    {
        var lines = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (relative != MediaChecksums.FileName)
            {
                await using var stream = File.OpenRead(file);
                lines.Add($"{Convert.ToHexStringLower(await SHA256.HashDataAsync(stream))}  {relative}");
            }
        }

        await File.WriteAllLinesAsync(Path.Combine(folder, MediaChecksums.FileName), lines);
    }

    private static void Copy(string source, string target)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
