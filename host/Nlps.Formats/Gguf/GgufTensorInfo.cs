namespace Nlps.Formats.Gguf;

/// <summary>
/// One tensor of a GGUF file. <see cref="Dimensions"/> are in ggml order, innermost first (a torch [out, in] weight is
/// [in, out] here); <see cref="Offset"/> is relative to the data section and <see cref="ByteLength"/> follows from
/// type and dimensions.
/// </summary>
public sealed record GgufTensorInfo(string Name, long[] Dimensions, GgufTensorType Type, long Offset, long ByteLength)
{
    /// <summary>The shape in row-major order, outermost first (as safetensors and torch write it).</summary>
    public long[] Shape => [.. Dimensions.Reverse()];

    public long ElementCount => Dimensions.Aggregate(1L, (a, d) => a * d);
}
