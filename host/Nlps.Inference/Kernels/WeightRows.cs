using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Widens a stretch of one weight row to f32 for <see cref="TokenPanelGemm"/>: f32 is copied, bf16 shifted, int8 and
/// int4 (see <see cref="WeightMatrix"/>) multiplied by their block scales, so the result equals what the matvec kernels
/// multiply with. Needs AVX-512 (<see cref="PrefillGemmWork.IsSupported"/>).
/// </summary>
internal static unsafe class WeightRows
{
    /// <summary>Writes W[row, from .. from + count) to <paramref name="destination"/>; for the quantized layouts both are multiples of 32.</summary>
    public static void Widen(WeightMatrix w, int row, int from, int count, float* destination)
    {
        long at = ((long)row * w.Cols) + from;
        switch (w.Type)
        {
            case ElementType.F32:
                new ReadOnlySpan<float>(w.F32 + at, count).CopyTo(new Span<float>(destination, count));
                break;
            case ElementType.BF16:
                BFloat16.ToSingle(new ReadOnlySpan<ushort>(w.BF16 + at, count), new Span<float>(destination, count));
                break;
            case ElementType.Int8:
                Int8(w.Q8 + at, w.Scales + (at / QuantizedDot.Block), count / QuantizedDot.Block, destination);
                break;
            case ElementType.Int8Block16:
                Int8By16(w.Q8 + at, w.Scales + (at / 16), count / 16, destination);
                break;
            case ElementType.Int4Min:
                Int4Min(w.Q4 + (at / 2), w.Scales + (at / QuantizedDot.Block), w.Mins + (at / QuantizedDot.Block), count / QuantizedDot.Block, destination);
                break;
            default:
                Int4(w.Q4 + (at / 2), w.Scales + (at / QuantizedDot.Block), count / QuantizedDot.Block, destination);
                break;
        }
    }

    // Q6_K's layout in memory: int8 values with one scale per 16.
    private static void Int8By16(sbyte* q, float* scales, int groups, float* destination)
    {
        for (int g = 0; g < groups; g++, q += 16, destination += 16)
        {
            (Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(q))) * Vector512.Create(scales[g])).Store(destination);
        }
    }

    // Q4_K's layout in memory: Int4's nibbles (no offset of 8), value nibble·scale − min per block of 32.
    private static void Int4Min(byte* q, float* scales, float* mins, int blocks, float* destination)
    {
        Vector128<byte> mask = Vector128.Create((byte)0x0F);
        for (int b = 0; b < blocks; b++, q += 16, destination += 32)
        {
            Vector512<float> scale = Vector512.Create(scales[b]);
            Vector512<float> min = Vector512.Create(mins[b]);
            Vector128<byte> bytes = Vector128.Load(q);
            ((Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(bytes & mask)) * scale) - min).Store(destination);
            ((Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.ShiftRightLogical(bytes, 4))) * scale) - min).Store(destination + 16);
        }
    }

    private static void Int8(sbyte* q, float* scales, int blocks, float* destination)
    {
        for (int b = 0; b < blocks; b++, q += 32, destination += 32)
        {
            Vector512<float> scale = Vector512.Create(scales[b]);
            (Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(q))) * scale).Store(destination);
            (Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(q + 16))) * scale).Store(destination + 16);
        }
    }

    // 16 bytes per block: low nibbles are elements 0..15, high nibbles 16..31, value (nibble − 8)·scale.
    private static void Int4(byte* q, float* scales, int blocks, float* destination)
    {
        Vector128<byte> mask = Vector128.Create((byte)0x0F);
        Vector512<int> eight = Vector512.Create(8);
        for (int b = 0; b < blocks; b++, q += 16, destination += 32)
        {
            Vector512<float> scale = Vector512.Create(scales[b]);
            Vector128<byte> bytes = Vector128.Load(q);
            (Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(bytes & mask) - eight) * scale).Store(destination);
            (Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.ShiftRightLogical(bytes, 4)) - eight) * scale).Store(destination + 16);
        }
    }
}
