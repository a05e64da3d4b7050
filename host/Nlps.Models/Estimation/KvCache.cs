namespace Nlps.Models.Estimation;

/// <summary>KV-cache arithmetic. Per token: K and V (2) × layers × KV heads × head dim × element bytes.</summary>
public static class KvCache
{
    /// <summary>Bytes one token costs on one rank. Under tensor parallelism each rank holds max(1, kvHeads / tp) heads: when tp exceeds the KV heads they are replicated.</summary>
    public static long BytesPerTokenPerRank(ModelArchitecture architecture, KvCacheType type, int tensorParallel)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentOutOfRangeException.ThrowIfLessThan(tensorParallel, 1);
        int bytes = ElementSizes.Of(type);
        return architecture.Family switch
        {
            ModelFamily.Decoder => 2L * architecture.Layers * Math.Max(1, architecture.KvHeads / tensorParallel) * architecture.HeadDim * bytes,

            // BART caches full-width K/V per decoder layer, for self-attention per decoded token and for cross-attention per source token.
            ModelFamily.Seq2Seq => 2L * architecture.Layers * architecture.HiddenSize / tensorParallel * bytes,
            _ => 0,
        };
    }

    /// <summary>
    /// Cached tokens one sequence of <paramref name="maxContext"/> needs: the context for a decoder; for seq2seq the source
    /// plus as many decoded tokens (both bounded by the context); none for an encoder.
    /// </summary>
    public static long TokensPerSequence(ModelArchitecture architecture, int maxContext)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture.Family switch
        {
            ModelFamily.Decoder => maxContext,
            ModelFamily.Seq2Seq => 2L * maxContext,
            _ => 0,
        };
    }

    /// <summary>Rounds tokens up to whole cache blocks (paged attention allocates blocks, not tokens).</summary>
    public static long RoundToBlocks(long tokens, int blockTokens) =>
        (tokens + blockTokens - 1) / blockTokens * blockTokens;
}
