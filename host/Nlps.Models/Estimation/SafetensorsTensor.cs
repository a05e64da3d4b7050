namespace Nlps.Models.Estimation;

/// <summary>One entry of a safetensors header: dtype, shape, and byte range within the data section.</summary>
public sealed record SafetensorsTensor(string Name, string Dtype, IReadOnlyList<long> Shape, long Begin, long End)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => checked(a * b));
}
