namespace Nlps.Formats.Safetensors;

/// <summary>One entry of a safetensors header: dtype, shape (row-major, outermost first), and byte range [Begin, End) within the data section.</summary>
public sealed record SafetensorsTensor(string Name, string Dtype, IReadOnlyList<long> Shape, long Begin, long End)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => checked(a * b));

    public long ByteLength => End - Begin;
}
