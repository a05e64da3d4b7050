using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nlps.Inference.Tensors;

/// <summary>
/// ggml's Q4_K and Q6_K super-blocks (ggml-common.h, <c>dequantize_row_q4_K</c>/<c>_q6_K</c> in ggml-quants.c) as
/// stored in GGUF, 256 weights each.
/// Q4_K (144 bytes): f16 d, f16 dmin, 12 bytes of eight 6-bit scales sc[j] and mins m[j], then 128 bytes of nibbles.
/// Sub-block j (32 weights) has value d·sc[j]·q − dmin·m[j]; its q come from bytes 32·(j/2)..+31, low nibbles for even
/// j and high nibbles for odd j. Packing: for j &lt; 4, sc[j] and m[j] are the low 6 bits of bytes j and j + 4; for
/// j ≥ 4, their low 4 bits are the two nibbles of byte j + 4 and their top 2 bits the top 2 bits of bytes j − 4 and j.
/// Q6_K (210 bytes): 128 bytes ql (low 4 bits), 64 bytes qh (high 2 bits), 16 int8 scales, f16 d. Sub-block k
/// (16 weights) has value d·sc[k]·(q − 32). Within each half of 128 weights (ql +64, qh +32 per half), element l + 32·i
/// (l &lt; 32, i &lt; 4) takes its low bits from ql[l + 32·(i mod 2)], nibble i / 2, and its high bits from qh[l], bits 2·i.
/// The quantizers are simpler than ggml's (no iterative scale search) but write valid blocks any reader decodes alike.
/// </summary>
internal static class GgmlKQuants
{
    public const int SuperBlock = 256;
    public const int Q4KBytes = 144;
    public const int Q6KBytes = 210;

    /// <summary>Sub-block j's 6-bit scale and min of a Q4_K block (<paramref name="packed"/> = its 12 scale bytes).</summary>
    public static (int Scale, int Min) ScaleMin(ReadOnlySpan<byte> packed, int j) => j < 4
        ? (packed[j] & 63, packed[j + 4] & 63)
        : ((packed[j + 4] & 0xF) | ((packed[j - 4] >> 6) << 4), (packed[j + 4] >> 4) | ((packed[j] >> 6) << 4));

    /// <summary>
    /// One Q4_K block as eight blocks of 32 in the engine's int4 layout (16 bytes each: low nibble element i, high
    /// nibble element i + 16) with a scale d·sc and a min dmin·m each; the value is nibble·scale − min.
    /// </summary>
    public static void UnpackQ4K(ReadOnlySpan<byte> block, Span<byte> nibbles, Span<float> scales, Span<float> mins)
    {
        float d = (float)MemoryMarshal.Read<Half>(block);
        float dmin = (float)MemoryMarshal.Read<Half>(block[2..]);
        ReadOnlySpan<byte> packed = block.Slice(4, 12);
        ReadOnlySpan<byte> qs = block.Slice(16, 128);
        for (int j = 0; j < 8; j++)
        {
            (int sc, int m) = ScaleMin(packed, j);
            scales[j] = d * sc;
            mins[j] = dmin * m;
            ReadOnlySpan<byte> source = qs.Slice(32 * (j / 2), 32);
            int shift = 4 * (j % 2);
            for (int i = 0; i < 16; i++)
            {
                nibbles[(16 * j) + i] = (byte)(((source[i] >> shift) & 0xF) | (((source[i + 16] >> shift) & 0xF) << 4));
            }
        }
    }

    /// <summary>One Q6_K block as 256 int8 values q − 32 (−32..31) and sixteen scales d·sc, one per 16 values.</summary>
    public static void UnpackQ6K(ReadOnlySpan<byte> block, Span<sbyte> values, Span<float> scales)
    {
        float d = (float)MemoryMarshal.Read<Half>(block[208..]);
        for (int k = 0; k < 16; k++)
        {
            scales[k] = d * (sbyte)block[192 + k];
        }

        for (int half = 0; half < 2; half++)
        {
            ReadOnlySpan<byte> ql = block.Slice(64 * half, 64);
            ReadOnlySpan<byte> qh = block.Slice(128 + (32 * half), 32);
            for (int l = 0; l < 32; l++)
            {
                for (int i = 0; i < 4; i++)
                {
                    int low = (ql[l + (32 * (i % 2))] >> (4 * (i / 2))) & 0xF;
                    int high = (qh[l] >> (2 * i)) & 3;
                    values[(128 * half) + l + (32 * i)] = (sbyte)((low | (high << 4)) - 32);
                }
            }
        }
    }

    /// <summary>Widens a row of Q4_K blocks to f32 (<paramref name="destination"/>: a multiple of 256 values).</summary>
    public static void DequantizeQ4K(ReadOnlySpan<byte> row, Span<float> destination)
    {
        Span<byte> nibbles = stackalloc byte[128];
        Span<float> scales = stackalloc float[8];
        Span<float> mins = stackalloc float[8];
        for (int b = 0; b < destination.Length / SuperBlock; b++)
        {
            UnpackQ4K(row.Slice(b * Q4KBytes, Q4KBytes), nibbles, scales, mins);
            for (int j = 0; j < 8; j++)
            {
                Span<float> y = destination.Slice((b * SuperBlock) + (32 * j), 32);
                for (int i = 0; i < 16; i++)
                {
                    byte packed = nibbles[(16 * j) + i];
                    y[i] = (scales[j] * (packed & 0xF)) - mins[j];
                    y[i + 16] = (scales[j] * (packed >> 4)) - mins[j];
                }
            }
        }
    }

    /// <summary>Widens a row of Q6_K blocks to f32.</summary>
    public static void DequantizeQ6K(ReadOnlySpan<byte> row, Span<float> destination)
    {
        Span<sbyte> values = stackalloc sbyte[SuperBlock];
        Span<float> scales = stackalloc float[16];
        for (int b = 0; b < destination.Length / SuperBlock; b++)
        {
            UnpackQ6K(row.Slice(b * Q6KBytes, Q6KBytes), values, scales);
            for (int e = 0; e < SuperBlock; e++)
            {
                destination[(b * SuperBlock) + e] = scales[e / 16] * values[e];
            }
        }
    }

    /// <summary>
    /// Quantizes <paramref name="values"/> (a multiple of 256) into Q4_K blocks: per sub-block of 32 the range
    /// [min(0, lowest), highest] split into 15 steps; scales and mins to 6 bits of the block's largest; then each value
    /// to the nearest step of the rounded scale and min.
    /// </summary>
    public static void QuantizeQ4K(ReadOnlySpan<float> values, Span<byte> destination)
    {
        Span<float> steps = stackalloc float[8];
        Span<float> offsets = stackalloc float[8];
        Span<int> sc = stackalloc int[8], m = stackalloc int[8];
        for (int b = 0; b < values.Length / SuperBlock; b++)
        {
            ReadOnlySpan<float> x = values.Slice(b * SuperBlock, SuperBlock);
            Span<byte> block = destination.Slice(b * Q4KBytes, Q4KBytes);
            block.Clear();
            for (int j = 0; j < 8; j++)
            {
                ReadOnlySpan<float> sub = x.Slice(32 * j, 32);
                float low = MathF.Min(0, TensorPrimitives.Min(sub));
                steps[j] = (TensorPrimitives.Max(sub) - low) / 15f;
                offsets[j] = -low;
            }

            Half d = (Half)(TensorPrimitives.Max(steps) / 63f), dmin = (Half)(TensorPrimitives.Max(offsets) / 63f);
            MemoryMarshal.Write(block, d);
            MemoryMarshal.Write(block[2..], dmin);
            for (int j = 0; j < 8; j++)
            {
                sc[j] = SixBits(steps[j], (float)d);
                m[j] = SixBits(offsets[j], (float)dmin);
            }

            Span<byte> packed = block.Slice(4, 12);
            for (int j = 0; j < 4; j++)
            {
                packed[j] = (byte)(sc[j] | ((sc[j + 4] >> 4) << 6));
                packed[j + 4] = (byte)(m[j] | ((m[j + 4] >> 4) << 6));
                packed[j + 8] = (byte)((sc[j + 4] & 0xF) | ((m[j + 4] & 0xF) << 4));
            }

            Span<byte> qs = block.Slice(16, 128);
            for (int j = 0; j < 8; j++)
            {
                float scale = (float)d * sc[j], min = (float)dmin * m[j];
                float inverse = scale != 0 ? 1f / scale : 0f;
                for (int i = 0; i < 32; i++)
                {
                    int q = Math.Clamp((int)MathF.Round((x[(32 * j) + i] + min) * inverse, MidpointRounding.AwayFromZero), 0, 15);
                    qs[(32 * (j / 2)) + i] |= (byte)(q << (4 * (j % 2)));
                }
            }
        }
    }

    /// <summary>
    /// Quantizes <paramref name="values"/> (a multiple of 256) into Q6_K blocks: per sub-block of 16 the signed value of
    /// largest magnitude over −32 (as ggml's <c>make_qx_quants</c> starts), the sixteen scales to int8 of the block's
    /// largest over −128, then each value to the nearest step of its rounded scale.
    /// </summary>
    public static void QuantizeQ6K(ReadOnlySpan<float> values, Span<byte> destination)
    {
        Span<float> steps = stackalloc float[16];
        Span<int> q = stackalloc int[SuperBlock];
        for (int b = 0; b < values.Length / SuperBlock; b++)
        {
            ReadOnlySpan<float> x = values.Slice(b * SuperBlock, SuperBlock);
            Span<byte> block = destination.Slice(b * Q6KBytes, Q6KBytes);
            block.Clear();
            float largest = 0;
            for (int k = 0; k < 16; k++)
            {
                steps[k] = TensorPrimitives.MaxMagnitude(x.Slice(16 * k, 16)) / -32f;
                largest = MathF.Abs(steps[k]) > MathF.Abs(largest) ? steps[k] : largest;
            }

            float iscale = largest != 0 ? -128f / largest : 0f;
            Half d = (Half)(iscale != 0 ? 1f / iscale : 0f);
            MemoryMarshal.Write(block[208..], d);
            for (int k = 0; k < 16; k++)
            {
                int sc = Math.Min(127, (int)MathF.Round(iscale * steps[k], MidpointRounding.AwayFromZero));
                block[192 + k] = (byte)(sbyte)sc;
                float scale = (float)d * sc;
                float inverse = scale != 0 ? 1f / scale : 0f;
                for (int e = 16 * k; e < 16 * (k + 1); e++)
                {
                    q[e] = Math.Clamp((int)MathF.Round(x[e] * inverse, MidpointRounding.AwayFromZero), -32, 31) + 32;
                }
            }

            for (int half = 0; half < 2; half++)
            {
                Span<byte> ql = block.Slice(64 * half, 64);
                Span<byte> qh = block.Slice(128 + (32 * half), 32);
                for (int l = 0; l < 32; l++)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        int v = q[(128 * half) + l + (32 * i)];
                        ql[l + (32 * (i % 2))] |= (byte)((v & 0xF) << (4 * (i / 2)));
                        qh[l] |= (byte)((v >> 4) << (2 * i));
                    }
                }
            }
        }
    }

    private static int SixBits(float value, float unit) =>
        unit != 0 ? Math.Clamp((int)MathF.Round(value / unit, MidpointRounding.AwayFromZero), 0, 63) : 0;
}
