using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Llama;

/// <summary>
/// One decoder layer's weights. q, k and v are stacked into one [q + 2·kv, hidden] matrix and gate/up into one
/// [2·intermediate, hidden] matrix, so each pair of projections is a single parallel pass.
/// </summary>
internal sealed class LlamaLayer(
    float[] attentionNorm,
    WeightMatrix qkv,
    float[]? qkvBias,
    WeightMatrix output,
    float[]? outputBias,
    float[] mlpNorm,
    WeightMatrix gateUp,
    WeightMatrix down) : IDisposable
{
    public float[] AttentionNorm { get; } = attentionNorm;

    public WeightMatrix Qkv { get; } = qkv;

    public float[]? QkvBias { get; } = qkvBias;

    public WeightMatrix Output { get; } = output;

    public float[]? OutputBias { get; } = outputBias;

    public float[] MlpNorm { get; } = mlpNorm;

    public WeightMatrix GateUp { get; } = gateUp;

    public WeightMatrix Down { get; } = down;

    public long ByteSize => Qkv.ByteSize + Output.ByteSize + GateUp.ByteSize + Down.ByteSize;

    public void Dispose()
    {
        Qkv.Dispose();
        Output.Dispose();
        GateUp.Dispose();
        Down.Dispose();
    }
}
