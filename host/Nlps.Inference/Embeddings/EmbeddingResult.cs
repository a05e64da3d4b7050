namespace Nlps.Inference.Embeddings;

/// <summary>One vector per input, in input order, and the tokens the encoder read (after any truncation).</summary>
public sealed record EmbeddingResult(IReadOnlyList<float[]> Vectors, int Tokens);
