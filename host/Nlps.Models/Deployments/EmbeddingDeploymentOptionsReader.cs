using Nlps.Inference.Embeddings;

namespace Nlps.Models.Deployments;

/// <summary>The enumerated values of <see cref="EmbeddingDeploymentOptions"/>; the validator refuses anything else at start.</summary>
internal static class EmbeddingDeploymentOptionsReader
{
    public static bool TryTruncation(string? text, out TruncationPolicy policy)
    {
        policy = text?.Trim().ToLowerInvariant() == "truncate" ? TruncationPolicy.Truncate : TruncationPolicy.Refuse;
        return text?.Trim().ToLowerInvariant() is "refuse" or "truncate";
    }

    public static bool TrySide(string? text, out EmbeddingSide side)
    {
        side = text?.Trim().ToLowerInvariant() == "passage" ? EmbeddingSide.Passage : EmbeddingSide.Query;
        return text?.Trim().ToLowerInvariant() is "query" or "passage";
    }

    public static TruncationPolicy Truncation(EmbeddingDeploymentOptions options)
    {
        TryTruncation(options.Truncation, out TruncationPolicy policy);
        return policy;
    }

    public static EmbeddingSide DefaultSide(EmbeddingDeploymentOptions options)
    {
        TrySide(options.DefaultSide, out EmbeddingSide side);
        return side;
    }
}
