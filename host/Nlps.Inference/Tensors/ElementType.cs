namespace Nlps.Inference.Tensors;

/// <summary>The element type of a weight matrix as held in memory.</summary>
internal enum ElementType
{
    F32,
    BF16,

    /// <summary>Q8_0-style: int8 values in blocks of 32 along each row, one f32 scale per block (see <see cref="WeightMatrix"/>).</summary>
    Int8,

    /// <summary>Q4_0-style: 4-bit values in blocks of 32 along each row, one f32 scale per block (see <see cref="WeightMatrix"/>).</summary>
    Int4,

    /// <summary>Q6_K-style: int8 values (−32..31 from Q6_K) with one f32 scale per 16 values (see <see cref="WeightMatrix"/>).</summary>
    Int8Block16,

    /// <summary>Q4_K-style: 4-bit values in Int4's layout with an f32 scale and an f32 min per block of 32 (see <see cref="WeightMatrix"/>).</summary>
    Int4Min,
}
