using System.CommandLine;
using Nlps.Plugins.Packaging;

namespace Nlps.Cli.Commands;

/// <summary><c>nlpsctl keys generate</c>: a vendor signing key pair (ECDSA P-256).</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the key files", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var name = new Option<string>("--name") { Description = "File name stem", DefaultValueFactory = _ => "vendor" };
        var generate = new Command("generate", "Create a signing key pair: NAME.private.pem (0600, keep it secret) and NAME.public.pem (give it to appliances)") { output, name };
        generate.SetAction(result =>
        {
            var folder = result.GetValue(output)!;
            var stem = result.GetValue(name)!;
            var privatePath = Path.Combine(folder.FullName, $"{stem}.private.pem");
            var publicPath = Path.Combine(folder.FullName, $"{stem}.public.pem");
            if (File.Exists(privatePath) || File.Exists(publicPath))
            {
                Console.Error.WriteLine($"error: key_exists: {privatePath} or {publicPath} already exists; choose another --name or folder");
                return 1;
            }

            Directory.CreateDirectory(folder.FullName);
            var pair = SigningKeyPair.Generate();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(privatePath, options))
            {
                writer.Write(pair.PrivateKeyPem);
            }

            File.WriteAllText(publicPath, pair.PublicKeyPem);
            Console.WriteLine($"key id      {pair.KeyId}");
            Console.WriteLine($"private key {privatePath}");
            Console.WriteLine($"public key  {publicPath}  (list it in Plugins:TrustedKeyFiles on the appliance)");
            return 0;
        });
        var keys = new Command("keys", "Manage package signing keys");
        keys.Subcommands.Add(generate);
        return keys;
    }
}
