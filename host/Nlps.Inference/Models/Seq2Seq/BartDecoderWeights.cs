using Nlps.Inference.Models.Encoders;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// The decoder half of a BART checkpoint in the engine's layout. <see cref="Words"/> is the shared token embedding,
/// owned by the encoder's weights (one copy for both lookups); the output head is the same matrix packed for the GEMM,
/// with <c>final_logits_bias</c> as its bias.
/// </summary>
internal sealed class BartDecoderWeights(WeightMatrix words, WeightMatrix positions, (float[], float[]) embeddingNorm, BartDecoderLayer[] layers, PackedMatrix head) : IDisposable
{
    public WeightMatrix Words { get; } = words;

    /// <summary>[max_position_embeddings + 2, d]; position p is row p + 2.</summary>
    public WeightMatrix Positions { get; } = positions;

    public (float[] Weight, float[] Bias) EmbeddingNorm { get; } = embeddingNorm;

    public BartDecoderLayer[] Layers { get; } = layers;

    public PackedMatrix Head { get; } = head;

    /// <summary>Bytes this half holds, LayerNorms included (the shared embedding rows are counted with the encoder).</summary>
    public long ByteSize => Positions.ByteSize + EncoderWeights.NormBytes(EmbeddingNorm) + Head.ByteSize + Layers.Sum(l => l.ByteSize);

    public void Dispose()
    {
        foreach (BartDecoderLayer layer in Layers)
        {
            layer.Dispose();
        }

        Positions.Dispose();
        Head.Dispose();
    }
}
