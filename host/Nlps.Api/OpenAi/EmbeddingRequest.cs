using Nlps.Inference.Embeddings;

namespace Nlps.Api.OpenAi;

/// <summary>A validated <c>POST /v1/embeddings</c> body.</summary>
/// <param name="Model">The deployment.</param>
/// <param name="Inputs">The texts, in order.</param>
/// <param name="Base64">Vectors as base64 of little-endian float32 (<c>encoding_format: "base64"</c>) rather than JSON numbers.</param>
/// <param name="Dimensions">The vector length asked for, or null.</param>
/// <param name="Side">The side from the <c>input_type</c> extension (query or passage), or null for the deployment's default.</param>
public sealed record EmbeddingRequest(string Model, IReadOnlyList<string> Inputs, bool Base64, int? Dimensions, EmbeddingSide? Side);
