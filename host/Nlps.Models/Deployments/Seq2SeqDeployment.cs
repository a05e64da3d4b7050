using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Seq2Seq;
using Nlps.Inference.Seq2Seq;
using Nlps.Inference.Tensors;
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

    /// <summary>
    /// The bytes the CPU engine holds for a BART model's weights, in the layout its loader builds (all f32, whatever
    /// the checkpoint's dtype or tied copies): the shared token embedding once as rows; on each side the position table
    /// (max_position_embeddings + 2 rows) and layernorm_embedding; the encoder's token-type row; every linear layer
    /// packed for the GEMM with its bias (q/k/v fused, cross-attention k/v fused); each layer's LayerNorms; and the
    /// output head, the shared embedding packed again with final_logits_bias.
    /// </summary>
    public static long WeightBytes(ModelArchitecture architecture)
    {
        int d = architecture.HiddenSize;
        int f = architecture.IntermediateSize;
        long Vectors(int count) => (long)count * d * sizeof(float);
        long Packed(int rows, int cols) => WeightLayouts.PackedMatrixBytes(rows, cols);

        long tables = ((long)architecture.VocabSize + (2L * (architecture.MaxPositionEmbeddings + ArchitectureWeights.BartPositionOffset))) * d * sizeof(float);
        long embeddingVectors = Vectors(1 + (2 * 2));
        long encoderLayer = Packed(3 * d, d) + Packed(d, d) + Packed(f, d) + Packed(d, f) + Vectors(2 * 2);
        long decoderLayer = Packed(3 * d, d) + Packed(d, d) + Packed(d, d) + Packed(2 * d, d) + Packed(d, d) + Packed(f, d) + Packed(d, f) + Vectors(3 * 2);
        return checked(tables + embeddingVectors + (architecture.EncoderLayers * encoderLayer) + (architecture.Layers * decoderLayer) + Packed(architecture.VocabSize, d));
    }

    /// <summary>The engine options of a deployment whose sources may have <paramref name="maxContext"/> tokens, the context it reports.</summary>
    public static Seq2SeqModelOptions ModelOptions(DeploymentOptions d, int maxContext) => new()
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
        MaxSourceTokens = maxContext,
    };

    private static TruncationPolicy Policy(string text)
    {
        EmbeddingDeploymentOptionsReader.TryTruncation(text, out var policy);
        return policy;
    }
}
