using System.Text.Json.Serialization;

namespace Nlps.Plugins.Packaging;

// Strict on read: an unknown or missing property in files.json or signature.json is a malformed package.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PackageFileList))]
[JsonSerializable(typeof(PackageSignature))]
internal sealed partial class PackagingJsonContext : JsonSerializerContext;
