using Nlps.Formats.Gguf;
using Nlps.Inference.Models;

namespace Nlps.Inference.Gguf;

/// <summary>
/// A GGUF file's decoder tensors under their Hugging Face names, in Hugging Face's row order: for the <c>llama</c>
/// architecture, q and k rows are read back through llama.cpp's RoPE permutation (<see cref="GgufTensorNames.GgufRowOf"/>);
/// <c>qwen2</c> files keep the half-split layout and are read as stored.
/// </summary>
internal sealed class GgufWeightSource(GgufCheckpoint checkpoint, bool permutedQk, int headDim) : IWeightSource
{
    public string Origin => checkpoint.Path;

    public bool Contains(string name) => GgufTensorNames.ToGguf(name) is string gguf && checkpoint.Contains(gguf);

    public TensorDescription Describe(string name)
    {
        GgufTensorInfo tensor = checkpoint.Describe(GgufName(name));
        return new TensorDescription(DtypeName(tensor.Type), tensor.Shape);
    }

    public ReadOnlySpan<byte> Bytes(string name)
    {
        if (permutedQk && name.EndsWith(".bias", StringComparison.Ordinal) && IsQk(name))
        {
            throw new ModelConfigException($"{Origin}: q/k biases in a llama-architecture GGUF are not supported");
        }

        return checkpoint.Bytes(GgufName(name));
    }

    public Func<int, int>? RowOrder(string name) =>
        permutedQk && IsQk(name) ? row => GgufTensorNames.GgufRowOf(row, headDim) : null;

    public static string DtypeName(GgufTensorType type) => type switch
    {
        GgufTensorType.F32 => "F32",
        GgufTensorType.F16 => "F16",
        GgufTensorType.BF16 => "BF16",
        GgufTensorType.Q8_0 => "Q8_0",
        GgufTensorType.Q4_0 => "Q4_0",
        GgufTensorType.Q4_K => "Q4_K",
        GgufTensorType.Q6_K => "Q6_K",
        _ => type.ToString(),
    };

    private static bool IsQk(string name) => name.Contains(".self_attn.q_proj.", StringComparison.Ordinal) || name.Contains(".self_attn.k_proj.", StringComparison.Ordinal);

    private string GgufName(string name) =>
        GgufTensorNames.ToGguf(name) ?? throw new ModelConfigException($"{Origin}: tensor '{name}' has no GGUF name");
}
