namespace Nlps.Formats.Gguf;

/// <summary>
/// A tensor to write: <paramref name="Dimensions"/> in ggml order (innermost first); <paramref name="WriteData"/>
/// writes exactly the bytes the type and dimensions imply, and is called once, when the data section reaches it.
/// </summary>
public sealed record GgufTensorData(string Name, GgufTensorType Type, long[] Dimensions, Action<Stream> WriteData)
{
    public long ByteLength
    {
        get
        {
            long rows = Dimensions.Skip(1).Aggregate(1L, (a, d) => a * d);
            return rows * GgufTensorTypes.RowBytes(Type, Dimensions[0]);
        }
    }
}
