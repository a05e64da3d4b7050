namespace Nlps.Inference.Gguf;

/// <summary>A tensor of a GGUF model: Hugging Face name (or the file's own), ggml type name, row-major shape, bytes in the file.</summary>
public sealed record GgufModelTensor(string Name, string Dtype, long[] Shape, long Bytes)
{
    public long Elements => Shape.Aggregate(1L, (a, d) => a * d);
}
