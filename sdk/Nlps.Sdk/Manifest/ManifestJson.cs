using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nlps.Sdk.Manifest;

/// <summary>Reads and writes <c>plugin.json</c> with the SDK's own source-generated serializer.</summary>
public static class ManifestJson
{
    /// <summary>Parses a manifest; throws <see cref="InvalidManifestException"/> naming what is wrong.</summary>
    /// <param name="utf8Json">The bytes of <c>plugin.json</c>.</param>
    public static PluginManifest Parse(ReadOnlySpan<byte> utf8Json)
    {
        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(utf8Json, ManifestJsonContext.Default.PluginManifest);
        }
        catch (JsonException ex)
        {
            throw new InvalidManifestException($"plugin.json is not valid: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new InvalidManifestException("plugin.json is empty (null).");
        }

        ManifestValidator.Validate(manifest);
        return manifest;
    }

    /// <summary>Serialises a manifest as indented UTF-8 JSON.</summary>
    /// <param name="manifest">The manifest to write.</param>
    public static byte[] Serialize(PluginManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.PluginManifest);
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(PluginManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
