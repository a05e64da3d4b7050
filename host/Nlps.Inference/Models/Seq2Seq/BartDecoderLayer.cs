using Nlps.Inference.Models.Encoders;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// One post-LN BART decoder layer, packed for <see cref="Kernels.PackedGemm"/>: self-attention (fused q/k/v [3d, d],
/// output [d, d]), cross-attention (query [d, d] on the decoder state; fused k/v [2d, d] applied once to the encoder
/// output; output [d, d]), the FFN (fc1 [f, d], fc2 [d, f]) and the three LayerNorms after each residual.
/// </summary>
internal sealed class BartDecoderLayer(
    PackedMatrix selfQkv,
    PackedMatrix selfOutput,
    (float[] Weight, float[] Bias) selfNorm,
    PackedMatrix crossQuery,
    PackedMatrix crossKeyValue,
    PackedMatrix crossOutput,
    (float[] Weight, float[] Bias) crossNorm,
    PackedMatrix up,
    PackedMatrix down,
    (float[] Weight, float[] Bias) finalNorm) : IDisposable
{
    public PackedMatrix SelfQkv { get; } = selfQkv;

    public PackedMatrix SelfOutput { get; } = selfOutput;

    public (float[] Weight, float[] Bias) SelfNorm { get; } = selfNorm;

    public PackedMatrix CrossQuery { get; } = crossQuery;

    public PackedMatrix CrossKeyValue { get; } = crossKeyValue;

    public PackedMatrix CrossOutput { get; } = crossOutput;

    public (float[] Weight, float[] Bias) CrossNorm { get; } = crossNorm;

    public PackedMatrix Up { get; } = up;

    public PackedMatrix Down { get; } = down;

    public (float[] Weight, float[] Bias) FinalNorm { get; } = finalNorm;

    public long ByteSize => Matrices.Sum(m => m.ByteSize) + EncoderWeights.NormBytes(SelfNorm) + EncoderWeights.NormBytes(CrossNorm) + EncoderWeights.NormBytes(FinalNorm);

    private PackedMatrix[] Matrices => [SelfQkv, SelfOutput, CrossQuery, CrossKeyValue, CrossOutput, Up, Down];

    public void Dispose()
    {
        foreach (PackedMatrix matrix in Matrices)
        {
            matrix.Dispose();
        }
    }
}
