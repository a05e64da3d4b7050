namespace Nlps.Api.OpenAi;

/// <summary>Why a <c>POST /v1/embeddings</c> body was refused: the field, a sentence for people and OpenAI's code.</summary>
public sealed record EmbeddingRequestError(string? Param, string Message, string Code = "invalid_value");
