using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Gguf;

/// <summary>
/// What a model store and a memory estimate need from a GGUF decoder without loading its weights: the config the
/// engine would run (architecture and shape checked as a load checks them), the tokenizer checked too, every tensor
/// under its Hugging Face name, and the file's quantization (the matrix type holding most weights).
/// </summary>
public sealed record GgufModelSummary(LlamaConfig Config, string Quantization, IReadOnlyList<GgufModelTensor> Tensors)
{
    public long ParameterCount => Tensors.Sum(t => t.Elements);

    /// <summary>Bytes of tensor data in the file.</summary>
    public long TensorBytes => Tensors.Sum(t => t.Bytes);

    /// <summary>Reads and checks <paramref name="path"/>; a bad or unsupported file throws naming the key or tensor.</summary>
    public static GgufModelSummary Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using GgufCheckpoint file = GgufCheckpoint.Open(path);
        LlamaConfig config = GgufModelConfig.Read(file);
        _ = GgufTokenizer.Read(file.Metadata);
        List<GgufModelTensor> tensors = [.. file.Layout.Tensors.Select(t => new GgufModelTensor(GgufTensorNames.ToHuggingFace(t.Name) ?? t.Name, t.Type.ToString(), t.Shape, t.ByteLength))];
        string quantization = tensors.Where(t => t.Shape.Length == 2).GroupBy(t => t.Dtype).MaxBy(g => g.Sum(t => t.Elements))?.Key ?? "F32";
        return new GgufModelSummary(config, quantization, tensors);
    }

    /// <summary>Bytes the CPU engine holds for these weights loaded as <paramref name="format"/> (vectors are f32).</summary>
    public long ResidentBytes(WeightFormat format) =>
        Tensors.Sum(t => t.Shape.Length == 2 ? WeightLayouts.MatrixBytes(format, t.Dtype, t.Shape[0], t.Shape[1]) : t.Elements * 4);
}
