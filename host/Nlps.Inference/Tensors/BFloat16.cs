using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Nlps.Inference.Tensors;

/// <summary>
/// bf16 is the top half of an IEEE f32, so widening is a 16-bit shift and narrowing rounds to nearest even. Bulk
/// conversions here, never element-by-element through <see cref="Half"/> in a hot loop.
/// </summary>
internal static class BFloat16
{
    /// <summary>Widens <paramref name="source"/> (bf16 bit patterns) into <paramref name="destination"/> of the same length.</summary>
    public static void ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }

        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= source.Length - 32; i += 32)
            {
                var packed = Vector512.Create(source.Slice(i, 32));
                var (lower, upper) = Vector512.Widen(packed);
                Vector512.ShiftLeft(lower, 16).AsSingle().CopyTo(destination.Slice(i, 16));
                Vector512.ShiftLeft(upper, 16).AsSingle().CopyTo(destination.Slice(i + 16, 16));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - 16; i += 16)
            {
                var packed = Vector256.Create(source.Slice(i, 16));
                var (lower, upper) = Vector256.Widen(packed);
                Vector256.ShiftLeft(lower, 16).AsSingle().CopyTo(destination.Slice(i, 8));
                Vector256.ShiftLeft(upper, 16).AsSingle().CopyTo(destination.Slice(i + 8, 8));
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = ToSingle(source[i]);
        }
    }

    public static float ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>Rounds f32 to the nearest bf16 (ties to even); NaN stays NaN.</summary>
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    public static void FromSingle(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = FromSingle(source[i]);
        }
    }

    /// <summary>Widens f16 to f32 in bulk (hardware conversion where the CPU has it).</summary>
    public static void HalfToSingle(ReadOnlySpan<Half> source, Span<float> destination) =>
        TensorPrimitives.ConvertToSingle(source, destination);
}
