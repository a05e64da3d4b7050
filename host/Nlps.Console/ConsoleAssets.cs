using System.Security.Cryptography;

namespace Nlps.Console;

/// <summary>
/// The console's files, read once from this assembly's embedded resources (<c>console/&lt;path&gt;</c>). Only
/// known file types are served; anything else in wwwroot is a build mistake and stops the start.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "console/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, ConsoleAsset> assets = new(StringComparer.Ordinal);

    /// <summary>Loads every embedded console file.</summary>
    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var path = name[Prefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(path), out var contentType))
            {
                throw new InvalidOperationException($"console file {path} has a type the console does not serve");
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            assets[path] = new ConsoleAsset(bytes, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
        }
    }

    /// <summary>Every file's path relative to the console root.</summary>
    public IReadOnlyCollection<string> Paths => assets.Keys;

    /// <summary>The file at <paramref name="path"/> (relative, e.g. <c>js/app.js</c>), or null.</summary>
    /// <param name="path">The path under <c>/console/</c>.</param>
    public ConsoleAsset? Find(string path) => assets.GetValueOrDefault(path);
}
