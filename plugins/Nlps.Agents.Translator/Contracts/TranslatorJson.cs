using System.Text.Json.Serialization;

namespace Nlps.Agents.Translator.Contracts;

/// <summary>The translator's own source-generated JSON metadata: requests, responses and stored records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GlossaryImportRequest))]
[JsonSerializable(typeof(GlossaryImportResponse))]
[JsonSerializable(typeof(GlossaryListRequest))]
[JsonSerializable(typeof(GlossaryListResponse))]
[JsonSerializable(typeof(GlossaryEntry))]
[JsonSerializable(typeof(List<GlossaryEntry>))]
[JsonSerializable(typeof(GlossaryDeleteRequest))]
[JsonSerializable(typeof(GlossaryDeleteResponse))]
[JsonSerializable(typeof(ExtractKeywordsRequest))]
[JsonSerializable(typeof(ExtractKeywordsResponse))]
[JsonSerializable(typeof(MemoryImportRequest))]
[JsonSerializable(typeof(MemoryImportResponse))]
[JsonSerializable(typeof(List<MemoryPair>))]
[JsonSerializable(typeof(ApproveRequest))]
[JsonSerializable(typeof(ApproveResponse))]
[JsonSerializable(typeof(MemorySearchRequest))]
[JsonSerializable(typeof(MemorySearchResponse))]
[JsonSerializable(typeof(TranslateRequest))]
[JsonSerializable(typeof(TranslateResponse))]
[JsonSerializable(typeof(TranslateStreamItem))]
[JsonSerializable(typeof(DocumentTranslateRequest))]
[JsonSerializable(typeof(DocumentTranslateItem))]
[JsonSerializable(typeof(TranslatorOptions))]
internal sealed partial class TranslatorJson : JsonSerializerContext;
