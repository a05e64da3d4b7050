using Nlps.Inference.Models.Encoders.Pooling;

namespace Nlps.Inference.Embeddings;

/// <summary>How an encoder folder is turned into an embedding model.</summary>
public sealed record EncoderEmbeddingModelOptions
{
    /// <summary>Kernel threads, the caller included; 0 = one per logical processor. Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>Pooling when the folder has no sentence-transformers files (modules.json). Default CLS, L2-normalised.</summary>
    public EmbeddingPooling DefaultPooling { get; init; } = new(PoolingMode.Cls, Normalize: true);

    /// <summary>Inputs longer than the model's limit: refused (default) or truncated.</summary>
    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Refuse;

    /// <summary>Most tokens one forward pass takes (bounds scratch memory); longer batches are split. Default 8192.</summary>
    public int MaxBatchTokens { get; init; } = 8192;
}
