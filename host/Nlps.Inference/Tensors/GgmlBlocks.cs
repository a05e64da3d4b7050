using System.Runtime.InteropServices;

namespace Nlps.Inference.Tensors;

/// <summary>
/// ggml's Q8_0 and Q4_0 blocks (ggml-common.h) as stored in GGUF: 32 weights per block, an f16 scale d first.
/// Q8_0 is d then 32 int8 (34 bytes; value q·d). Q4_0 is d then 16 bytes whose low nibble is element j and high nibble
/// element j + 16 (18 bytes; value (nibble − 8)·d). Quantizers follow <c>quantize_row_q8_0_ref</c> and
/// <c>quantize_row_q4_0_ref</c> so files we write load the same in llama.cpp.
/// </summary>
internal static class GgmlBlocks
{
    public const int Block = 32;
    public const int Q8Bytes = 34;
    public const int Q4Bytes = 18;

    /// <summary>The checkpoint dtypes weights may have, as error messages list them.</summary>
    public const string SupportedNames = "F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K";

    public static bool IsSupported(string dtype) => dtype is "F32" or "F16" or "BF16" or "Q8_0" or "Q4_0" or "Q4_K" or "Q6_K";

    /// <summary>Bytes of one row of <paramref name="cols"/> values (a multiple of 32 for Q8_0/Q4_0, of 256 for Q4_K/Q6_K).</summary>
    public static int RowBytes(string dtype, int cols) => dtype switch
    {
        "Q8_0" => cols / Block * Q8Bytes,
        "Q4_0" => cols / Block * Q4Bytes,
        "Q4_K" => cols / GgmlKQuants.SuperBlock * GgmlKQuants.Q4KBytes,
        "Q6_K" => cols / GgmlKQuants.SuperBlock * GgmlKQuants.Q6KBytes,
        "F32" => cols * 4,
        _ => cols * 2,
    };

    public static float Scale(ReadOnlySpan<byte> block) => (float)MemoryMarshal.Read<Half>(block);

    /// <summary>Widens one row of <paramref name="dtype"/> (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K) into <paramref name="destination"/>.</summary>
    public static void ToSingle(ReadOnlySpan<byte> row, string dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(row).CopyTo(destination);
                break;
            case "BF16":
                BFloat16.ToSingle(MemoryMarshal.Cast<byte, ushort>(row), destination);
                break;
            case "F16":
                BFloat16.HalfToSingle(MemoryMarshal.Cast<byte, Half>(row), destination);
                break;
            case "Q8_0":
                for (int b = 0; b < destination.Length / Block; b++)
                {
                    ReadOnlySpan<byte> block = row.Slice(b * Q8Bytes, Q8Bytes);
                    float d = Scale(block);
                    for (int i = 0; i < Block; i++)
                    {
                        destination[(b * Block) + i] = (sbyte)block[2 + i] * d;
                    }
                }

                break;
            case "Q4_0":
                for (int b = 0; b < destination.Length / Block; b++)
                {
                    ReadOnlySpan<byte> block = row.Slice(b * Q4Bytes, Q4Bytes);
                    float d = Scale(block);
                    for (int i = 0; i < Block / 2; i++)
                    {
                        destination[(b * Block) + i] = ((block[2 + i] & 0xF) - 8) * d;
                        destination[(b * Block) + i + 16] = ((block[2 + i] >> 4) - 8) * d;
                    }
                }

                break;
            case "Q4_K":
                GgmlKQuants.DequantizeQ4K(row, destination);
                break;
            case "Q6_K":
                GgmlKQuants.DequantizeQ6K(row, destination);
                break;
            default:
                throw new NotSupportedException($"dtype {dtype} is not supported for weights ({SupportedNames})");
        }
    }

    /// <summary>Quantizes <paramref name="values"/> (a multiple of 32) into Q8_0 blocks.</summary>
    public static void QuantizeQ8(ReadOnlySpan<float> values, Span<byte> destination)
    {
        for (int b = 0; b < values.Length / Block; b++)
        {
            ReadOnlySpan<float> x = values.Slice(b * Block, Block);
            Span<byte> block = destination.Slice(b * Q8Bytes, Q8Bytes);
            float amax = 0;
            foreach (float v in x)
            {
                amax = MathF.Max(amax, MathF.Abs(v));
            }

            float d = amax / 127f;
            float id = d != 0 ? 1f / d : 0f;
            MemoryMarshal.Write(block, (Half)d);
            for (int i = 0; i < Block; i++)
            {
                block[2 + i] = (byte)(sbyte)MathF.Round(x[i] * id, MidpointRounding.AwayFromZero);
            }
        }
    }

    /// <summary>Quantizes <paramref name="values"/> (a multiple of 32) into Q4_0 blocks.</summary>
    public static void QuantizeQ4(ReadOnlySpan<float> values, Span<byte> destination)
    {
        for (int b = 0; b < values.Length / Block; b++)
        {
            ReadOnlySpan<float> x = values.Slice(b * Block, Block);
            Span<byte> block = destination.Slice(b * Q4Bytes, Q4Bytes);
            float d = Q4Scale(x);
            float id = d != 0 ? 1f / d : 0f;
            MemoryMarshal.Write(block, (Half)d);
            for (int i = 0; i < Block / 2; i++)
            {
                block[2 + i] = (byte)(Q4Nibble(x[i], id) | (Q4Nibble(x[i + 16], id) << 4));
            }
        }
    }

    /// <summary>Q4_0's scale: the signed value of largest magnitude over −8, so that value maps exactly to nibble 0.</summary>
    public static float Q4Scale(ReadOnlySpan<float> block)
    {
        float amax = 0, max = 0;
        foreach (float v in block)
        {
            if (amax < MathF.Abs(v))
            {
                amax = MathF.Abs(v);
                max = v;
            }
        }

        return max / -8f;
    }

    public static int Q4Nibble(float value, float inverseScale) => Math.Min(15, (int)(sbyte)((value * inverseScale) + 8.5f));
}
