using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nlps.Plugins.Loading;
using Nlps.Plugins.Packaging;
using Nlps.Sdk.Manifest;

namespace Nlps.Cli.Packing;

/// <summary>
/// Turns an agent project into a signed <c>.nlpkg</c>: <c>dotnet publish</c>, the project's <c>plugin.json</c> stamped
/// with the SDK version it was built against (from the publish output's deps.json) and its entry assembly, shared
/// assemblies left out, then the package built and signed.
/// </summary>
internal sealed class PluginProjectPacker(TextWriter log)
{
    public async Task<PackResult> PackAsync(PackRequest request, CancellationToken cancellationToken)
    {
        var projectFile = FindProjectFile(request.Project);
        var projectDirectory = Path.GetDirectoryName(projectFile)!;
        var manifestPath = Path.Combine(projectDirectory, "plugin.json");
        if (!File.Exists(manifestPath))
        {
            throw new PackException($"{manifestPath} is missing: every agent project has a plugin.json next to its .csproj");
        }

        var work = Path.Combine(Path.GetTempPath(), $"nlpsctl-pack-{Guid.NewGuid():N}");
        var publish = Path.Combine(work, "publish");
        try
        {
            await PublishAsync(projectFile, publish, request.Configuration, cancellationToken);
            var assemblyName = Path.GetFileNameWithoutExtension(projectFile);
            var manifest = Stamp(await File.ReadAllBytesAsync(manifestPath, cancellationToken), publish, projectDirectory, assemblyName, request.Version);
            foreach (var shared in Directory.EnumerateFiles(publish).Where(f => SharedAssemblies.IsSharedFile(Path.GetFileName(f))).ToList())
            {
                File.Delete(shared);
            }

            Directory.CreateDirectory(request.OutputDirectory);
            var output = Path.Combine(request.OutputDirectory, $"{manifest.Id}-{manifest.Version}.nlpkg");
            using var signer = request.SigningKeyFile is null ? null : PackageSigner.FromPrivateKeyFile(request.SigningKeyFile);
            return new PackResult(await new PackageBuilder(signer).BuildAsync(publish, manifest, output, cancellationToken), manifest);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static string FindProjectFile(string project)
    {
        if (File.Exists(project) && project.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            return Path.GetFullPath(project);
        }

        if (Directory.Exists(project))
        {
            var candidates = Directory.GetFiles(project, "*.csproj");
            if (candidates.Length == 1)
            {
                return Path.GetFullPath(candidates[0]);
            }

            throw new PackException(candidates.Length == 0
                ? $"no .csproj in {project}"
                : $"{project} has {candidates.Length} .csproj files; name the one to pack");
        }

        throw new PackException($"{project} is neither a .csproj file nor a folder");
    }

    private async Task PublishAsync(string projectFile, string output, string configuration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", projectFile, "-c", configuration, "-o", output, "--nologo", "-v", "quiet" })
        {
            start.ArgumentList.Add(argument);
        }

        await log.WriteLineAsync($"publishing {projectFile} ({configuration})…");
        using var process = Process.Start(start) ?? throw new PackException("could not start 'dotnet'");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new PackException($"dotnet publish failed (exit {process.ExitCode}):\n{await stdout}{await stderr}".TrimEnd());
        }
    }

    private static PluginManifest Stamp(byte[] authored, string publish, string projectDirectory, string assemblyName, string? version)
    {
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(authored, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new PackException("plugin.json must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new PackException($"plugin.json is not valid JSON: {ex.Message}");
        }

        manifest["sdkVersion"] = ReadSdkVersion(publish, projectDirectory, manifest["entryAssembly"]?.GetValue<string>() ?? assemblyName + ".dll");
        manifest["entryAssembly"] ??= assemblyName + ".dll";
        if (version is not null)
        {
            manifest["version"] = version;
        }

        try
        {
            return ManifestJson.Parse(JsonSerializer.SerializeToUtf8Bytes(manifest, PackJsonContext.Default.JsonObject));
        }
        catch (InvalidManifestException ex)
        {
            throw new PackException($"plugin.json: {ex.Message}");
        }
    }

    // The deps.json of the entry assembly names the Nlps.Sdk it was compiled against, whether it came as a package or a
    // project. A project reference with ExcludeAssets="runtime" (the first-party agents in plugins/, which take the SDK
    // from the appliance at run time) leaves deps.json without it; restore's project.assets.json still names it.
    private static string ReadSdkVersion(string publish, string projectDirectory, string entryAssembly)
    {
        var depsFile = Path.Combine(publish, Path.ChangeExtension(entryAssembly, ".deps.json"));
        if (!File.Exists(depsFile))
        {
            throw new PackException($"{Path.GetFileName(depsFile)} is missing from the publish output; is {entryAssembly} the project's assembly?");
        }

        var assetsFile = Path.Combine(projectDirectory, "obj", "project.assets.json");
        return FindSdkLibrary(depsFile)
            ?? (File.Exists(assetsFile) ? FindSdkLibrary(assetsFile) : null)
            ?? throw new PackException($"the project does not reference Nlps.Sdk ({Path.GetFileName(depsFile)} does not list it); agents are built against the SDK");
    }

    /// <summary>The version of the <c>Nlps.Sdk/{version}</c> entry in a deps.json or project.assets.json "libraries" object.</summary>
    private static string? FindSdkLibrary(string jsonFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonFile));
        if (document.RootElement.TryGetProperty("libraries", out var libraries))
        {
            foreach (var library in libraries.EnumerateObject())
            {
                if (library.Name.StartsWith("Nlps.Sdk/", StringComparison.Ordinal))
                {
                    return library.Name["Nlps.Sdk/".Length..];
                }
            }
        }

        return null;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class PackJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
