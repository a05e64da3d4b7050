using System.Text.Json.Serialization;

namespace Nlps.Models.Store;

/// <summary>Source-generated JSON for the files the store writes (manifest, import journal).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(ImportJournal))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
