namespace Nlps.Formats.Gguf;

/// <summary>Block geometry of each <see cref="GgufTensorType"/>: elements per block along the innermost dimension and bytes per block (ggml-common.h).</summary>
public static class GgufTensorTypes
{
    public static bool IsKnown(uint type) => Enum.IsDefined((GgufTensorType)type);

    public static (int Elements, int Bytes) Block(GgufTensorType type) => type switch
    {
        GgufTensorType.F32 or GgufTensorType.I32 => (1, 4),
        GgufTensorType.F16 or GgufTensorType.BF16 or GgufTensorType.I16 => (1, 2),
        GgufTensorType.I8 => (1, 1),
        GgufTensorType.I64 or GgufTensorType.F64 => (1, 8),
        GgufTensorType.Q4_0 or GgufTensorType.IQ4_NL => (32, 18),
        GgufTensorType.Q4_1 => (32, 20),
        GgufTensorType.Q5_0 => (32, 22),
        GgufTensorType.Q5_1 => (32, 24),
        GgufTensorType.Q8_0 => (32, 34),
        GgufTensorType.Q8_1 => (32, 36),
        GgufTensorType.Q2_K => (256, 84),
        GgufTensorType.Q3_K => (256, 110),
        GgufTensorType.Q4_K => (256, 144),
        GgufTensorType.Q5_K => (256, 176),
        GgufTensorType.Q6_K => (256, 210),
        GgufTensorType.Q8_K => (256, 292),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type"),
    };

    /// <summary>Bytes of one row of <paramref name="elements"/> values; the count must be a whole number of blocks.</summary>
    public static long RowBytes(GgufTensorType type, long elements)
    {
        var (blockElements, blockBytes) = Block(type);
        if (elements % blockElements != 0)
        {
            throw new ArgumentException($"{type} rows hold whole blocks of {blockElements}; {elements} is not a multiple", nameof(elements));
        }

        return elements / blockElements * blockBytes;
    }
}
