using System.Text.Json.Serialization;

namespace Nlps.Agents.Chatbot.Contracts;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectRequiredConstructorParameters = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(ChatbotOptions))]
[JsonSerializable(typeof(KnowledgeBaseRequest))]
[JsonSerializable(typeof(KnowledgeBaseSummary))]
[JsonSerializable(typeof(KnowledgeBaseList))]
[JsonSerializable(typeof(DeleteResponse))]
[JsonSerializable(typeof(DocumentRequest))]
[JsonSerializable(typeof(IngestRequest))]
[JsonSerializable(typeof(JobRequest))]
[JsonSerializable(typeof(IngestionJob))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(ExpansionRequest))]
[JsonSerializable(typeof(ExpansionResponse))]
[JsonSerializable(typeof(AskRequest))]
[JsonSerializable(typeof(AskResponse))]
[JsonSerializable(typeof(AskStreamItem))]
[JsonSerializable(typeof(Conversation))]
[JsonSerializable(typeof(KnowledgeBaseRecord))]
[JsonSerializable(typeof(DocumentRecord))]
[JsonSerializable(typeof(ChunkMetadata))]
internal sealed partial class ChatbotJson : JsonSerializerContext;
