using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Encoders;

/// <summary>
/// One post-LN transformer encoder layer: fused q/k/v [3H, H], attention output [H, H], FFN up [I, H] and down [H, I],
/// all packed for <see cref="Kernels.PackedGemm"/> with their biases, and the two LayerNorms.
/// </summary>
internal sealed class EncoderLayer(
    PackedMatrix qkv,
    PackedMatrix output,
    (float[] Weight, float[] Bias) attentionNorm,
    PackedMatrix up,
    PackedMatrix down,
    (float[] Weight, float[] Bias) outputNorm) : IDisposable
{
    public PackedMatrix Qkv { get; } = qkv;

    public PackedMatrix Output { get; } = output;

    public (float[] Weight, float[] Bias) AttentionNorm { get; } = attentionNorm;

    public PackedMatrix Up { get; } = up;

    public PackedMatrix Down { get; } = down;

    public (float[] Weight, float[] Bias) OutputNorm { get; } = outputNorm;

    public long ByteSize => Qkv.ByteSize + Output.ByteSize + Up.ByteSize + Down.ByteSize + EncoderWeights.NormBytes(AttentionNorm) + EncoderWeights.NormBytes(OutputNorm);

    public void Dispose()
    {
        Qkv.Dispose();
        Output.Dispose();
        Up.Dispose();
        Down.Dispose();
    }
}
