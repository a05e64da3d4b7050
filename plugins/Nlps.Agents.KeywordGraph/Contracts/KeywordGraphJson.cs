using System.Text.Json.Serialization;

namespace Nlps.Agents.KeywordGraph.Contracts;

/// <summary>The keyword graph's own source-generated JSON metadata.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExtractRequest))]
[JsonSerializable(typeof(ExtractResponse))]
[JsonSerializable(typeof(DictionaryImportRequest))]
[JsonSerializable(typeof(DictionaryImportResponse))]
[JsonSerializable(typeof(List<DictionaryTerm>))]
[JsonSerializable(typeof(IngestRequest))]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(StoredDocument))]
[JsonSerializable(typeof(NeighboursRequest))]
[JsonSerializable(typeof(NeighboursResponse))]
[JsonSerializable(typeof(PathRequest))]
[JsonSerializable(typeof(PathResponse))]
[JsonSerializable(typeof(RelatedRequest))]
[JsonSerializable(typeof(RelatedResponse))]
[JsonSerializable(typeof(ExportRequest))]
[JsonSerializable(typeof(ExportResponse))]
[JsonSerializable(typeof(KeywordGraphOptions))]
internal sealed partial class KeywordGraphJson : JsonSerializerContext;
