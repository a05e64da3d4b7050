using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Seq2Seq;
using Nlps.Inference.Seq2Seq;
using Nlps.Models.Estimation;

namespace Nlps.Models.Deployments;

/// <summary>How a seq2seq deployment's configuration becomes engine options and a memory estimate.</summary>
internal static class Seq2SeqDeployment
{
    /// <summary>
    /// Sequences the estimator should reserve caches for. A request holds one cross-attention cache (source tokens)
    /// and, per beam, a self-attention cache (new tokens); beam search keeps a second set to reorder into. The estimator
    /// gives each sequence source + new tokens, so 1 sequence covers greedy and beams + 1 cover a beam search.
    /// </summary>
    public static int CachedSequences(DeploymentOptions d) => d.MaxConcurrency * (d.Seq2Seq.NumBeams > 1 ? d.Seq2Seq.NumBeams + 1 : 1);

    /// <summary>The output head packed for the GEMM beside the embedding rows it shares weights with (f32, rows padded to panels of 32).</summary>
    public static long PackedHeadBytes(ModelArchitecture architecture) => ((architecture.VocabSize + 31L) / 32 * 32 * architecture.HiddenSize * 4) + (architecture.VocabSize * 4L);

    public static Seq2SeqModelOptions ModelOptions(DeploymentOptions d) => new()
    {
        Engine = new CpuEngineOptions { Threads = d.Threads },
        Defaults = new Seq2SeqGenerationOptions
        {
            MaxNewTokens = d.Seq2Seq.MaxNewTokens,
            NumBeams = d.Seq2Seq.NumBeams,
            LengthPenalty = d.Seq2Seq.LengthPenalty,
            EarlyStopping = d.Seq2Seq.EarlyStopping,
        },
        Truncation = Policy(d.Seq2Seq.Truncation),
    };

    private static TruncationPolicy Policy(string text)
    {
        EmbeddingDeploymentOptionsReader.TryTruncation(text, out var policy);
        return policy;
    }
}
