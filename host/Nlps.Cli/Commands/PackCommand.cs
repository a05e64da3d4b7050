using System.CommandLine;
using Nlps.Cli.Packing;
using Nlps.Plugins.Packaging;

namespace Nlps.Cli.Commands;

/// <summary><c>nlpsctl pack</c>: agent project → signed <c>.nlpkg</c>.</summary>
internal static class PackCommand
{
    public static Command Create()
    {
        var project = new Argument<string>("project") { Description = "The agent's .csproj or its folder", DefaultValueFactory = _ => "." };
        var key = new Option<FileInfo?>("--key") { Description = "Private signing key (PEM) from 'nlpsctl keys generate'" };
        var unsigned = new Option<bool>("--unsigned") { Description = "Make an unsigned package (only developer-mode appliances accept it)" };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for the package", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var version = new Option<string?>("--version") { Description = "Override the version in plugin.json" };
        var configuration = new Option<string>("--configuration", "-c") { Description = "Build configuration", DefaultValueFactory = _ => "Release" };
        var pack = new Command("pack", "Build an agent project and pack it as a signed .nlpkg") { project, key, unsigned, output, version, configuration };
        pack.SetAction(async (result, ct) =>
        {
            var keyFile = result.GetValue(key);
            if (keyFile is null && !result.GetValue(unsigned))
            {
                await Console.Error.WriteLineAsync("error: key_required: pass --key <private.pem> to sign, or --unsigned for a developer package");
                return 2;
            }

            try
            {
                var built = await new PluginProjectPacker(Console.Error).PackAsync(
                    new PackRequest(result.GetValue(project)!, result.GetValue(output)!.FullName, keyFile?.FullName, result.GetValue(configuration)!, result.GetValue(version)),
                    ct);
                var package = built.Package;
                Console.WriteLine(package.PackagePath);
                await Console.Error.WriteLineAsync($"packed {built.Manifest.Id} {built.Manifest.Version}: {package.Files.Count} files, sha256 {package.PackageSha256}{(package.SignerKeyId is null ? " (UNSIGNED)" : $", signed by {package.SignerKeyId}")}");
                return 0;
            }
            catch (Exception ex) when (ex is PackException or PackageBuildException or InvalidSigningKeyException or IOException)
            {
                await Console.Error.WriteLineAsync($"error: pack_failed: {ex.Message}");
                return 1;
            }
        });
        return pack;
    }
}
