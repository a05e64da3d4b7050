using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// The integer register tile of many-token products with int8 and int4 weights (Q8_0/Q4_0 layouts), on AVX-VNNI
/// <c>vpdpbusd</c> (32 byte products per instruction, four times the lanes of an f32 FMA). Weight rows go along the
/// vector lanes: <see cref="Pack"/> rearranges 16 rows into a row panel, per block of 32 columns eight "quads"
/// (4 consecutive columns) of 16 rows × 4 bytes, as unsigned bytes (int8 value + 128, or the int4 nibble), with the 16
/// rows' block scales beside them. The activations, quantized as the decode kernels quantize them, are packed by
/// <see cref="PackToken"/> into token panels of 6 rows (per quad 6 × 4 bytes, so a tile reads one stream).
/// <see cref="Tile"/> broadcasts each token's 4 bytes against each quad, so one instruction advances 8 rows by 4
/// columns with no horizontal sums. The unsigned bias is taken back per block through the activations' −8·Σx (int4:
/// nibble − 8; int8: 16 times that is −128·Σx), and each block's int32 sums are scaled by both block scales into f32,
/// exactly the decode kernels' sum.
/// </summary>
internal static unsafe class RowPanelVnni
{
    /// <summary>Weight rows per panel (two 8-lane vectors).</summary>
    public const int PanelRows = 16;

    /// <summary>Activation rows per register tile.</summary>
    public const int TileTokens = 6;

    private const int QuadsPerBlock = QuantizedDot.Block / 4;

    /// <summary>Panel bytes per block of 32 columns.</summary>
    private const int BlockBytes = PanelRows * QuantizedDot.Block;

    public static bool IsSupported => AvxVnni.IsSupported;

    /// <summary>Whether <see cref="Tile"/> can multiply this matrix's layout (int8 or int4 with one scale per 32).</summary>
    public static bool Handles(WeightMatrix w) => w.Type is ElementType.Int8 or ElementType.Int4 or ElementType.Int4Min;

    /// <summary>Bytes of a row panel of <paramref name="blocks"/> blocks (its scales take 16 floats per block).</summary>
    public static int PanelBytes(int blocks) => blocks * BlockBytes;

    /// <summary>Bytes of a token panel of <paramref name="blocks"/> blocks (its scales and offsets take 6 per block).</summary>
    public static int TokenPanelBytes(int blocks) => blocks * TileTokens * QuantizedDot.Block;

    /// <summary>
    /// The offset shift <see cref="PackToken"/> takes for <paramref name="w"/>'s layout (−8·Σx → −128·Σx for int8). Q4_K's
    /// nibbles take int4's −8·Σx too; its rows then add (8·scale − min)·(scale_x·Σx) per block (<see cref="Pack"/>'s min terms).
    /// </summary>
    public static int OffsetShift(WeightMatrix w) => w.Type == ElementType.Int8 ? 4 : 0;

    /// <summary>
    /// Packs blocks [<paramref name="firstBlock"/>, +<paramref name="blocks"/>) of rows [<paramref name="firstRow"/>, +16)
    /// of <paramref name="w"/>; rows past the end are zero with scale 0. For Q4_K also each row's 8·scale − min per
    /// block into <paramref name="minTerms"/> (16 per block; untouched for the other layouts).
    /// </summary>
    public static void Pack(WeightMatrix w, int firstRow, int firstBlock, int blocks, byte* panel, float* scales, float* minTerms)
    {
        float* wMins = w.Type == ElementType.Int4Min ? w.Mins : null;
        var source = new UnsignedRows(w);
        int rowBlocks = w.BlocksPerRow;
        float* wScales = w.Scales;
        byte** starts = stackalloc byte*[8];
        Vector256<byte>* rows = stackalloc Vector256<byte>[8];
        for (int half = 0; half < 2; half++)
        {
            int r0 = firstRow + (half * 8);
            int present = Math.Clamp(w.Rows - r0, 0, 8);
            for (int i = 0; i < 8; i++)
            {
                starts[i] = source.Row(Math.Min(r0 + i, w.Rows - 1), firstBlock);
            }

            for (int b = 0; b < blocks; b++)
            {
                for (int i = 0; i < 8; i++)
                {
                    rows[i] = UnsignedRows.Block(starts[i] + (b * source.BlockBytes), source.Int8);

                    // A row past the end repeats the last one with scale 0, so it adds nothing.
                    long scaleAt = ((long)(r0 + i) * rowBlocks) + firstBlock + b;
                    scales[(b * PanelRows) + (half * 8) + i] = i < present ? wScales[scaleAt] : 0f;
                    if (wMins != null)
                    {
                        minTerms[(b * PanelRows) + (half * 8) + i] = i < present ? (8 * wScales[scaleAt]) - wMins[scaleAt] : 0f;
                    }
                }

                TransposeQuads(rows, panel + ((long)b * BlockBytes) + (half * 32));
            }
        }
    }

    /// <summary>
    /// Writes one quantized activation row (values, block scales, −8·Σx per block) as lane <paramref name="lane"/> of a
    /// token panel, with scale·Σx per block for Q4_K's min terms; a lane without a token (<paramref name="values"/>
    /// null) reads as zeros with scale 0.
    /// </summary>
    public static void PackToken(sbyte* values, float* scales, int* offsets, int blocks, int offsetShift, int lane, TokenPanel panel)
    {
        int* quads = (int*)values;
        int* destination = (int*)panel.Quads + lane;
        for (int q = 0; q < blocks * QuadsPerBlock; q++, destination += TileTokens)
        {
            *destination = values != null ? quads[q] : 0;
        }

        for (int b = 0; b < blocks; b++)
        {
            int at = (b * TileTokens) + lane;
            panel.Scales[at] = values != null ? scales[b] : 0f;
            panel.Offsets[at] = values != null ? offsets[b] << offsetShift : 0;
            panel.Sums[at] = values != null ? scales[b] * (offsets[b] / -8f) : 0f;
        }
    }

    /// <summary>
    /// tile[j·16 + i] += Σ_k W[i, k] · x_j[k] for the panel's 16 rows i and a token panel's 6 rows j, over
    /// <paramref name="blocks"/> blocks starting at the token panel's block <paramref name="firstBlock"/>.
    /// <paramref name="minTerms"/> is null except for Q4_K.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(byte* panel, float* scales, float* minTerms, int blocks, TokenPanel tokens, int firstBlock, float* tile)
    {
        byte* x = tokens.Quads + ((long)firstBlock * TileTokens * QuantizedDot.Block);
        float* tokenScales = tokens.Scales + (firstBlock * TileTokens);
        int* tokenOffsets = tokens.Offsets + (firstBlock * TileTokens);
        float* tokenSums = tokens.Sums + (firstBlock * TileTokens);
        for (int b = 0; b < blocks; b++, tokenScales += TileTokens, tokenOffsets += TileTokens, tokenSums += TileTokens)
        {
            Vector256<int> a00 = Vector256.Create(tokenOffsets[0]), a01 = a00;
            Vector256<int> a10 = Vector256.Create(tokenOffsets[1]), a11 = a10;
            Vector256<int> a20 = Vector256.Create(tokenOffsets[2]), a21 = a20;
            Vector256<int> a30 = Vector256.Create(tokenOffsets[3]), a31 = a30;
            Vector256<int> a40 = Vector256.Create(tokenOffsets[4]), a41 = a40;
            Vector256<int> a50 = Vector256.Create(tokenOffsets[5]), a51 = a50;
            byte* p = panel + ((long)b * BlockBytes);
            for (int q = 0; q < QuadsPerBlock; q++, p += 2 * Vector256<byte>.Count, x += TileTokens * 4)
            {
                Vector256<byte> w0 = Vector256.Load(p);
                Vector256<byte> w1 = Vector256.Load(p + Vector256<byte>.Count);
                Vector256<sbyte> v = Vector256.Create(*(int*)x).AsSByte();
                a00 = AvxVnni.MultiplyWideningAndAdd(a00, w0, v);
                a01 = AvxVnni.MultiplyWideningAndAdd(a01, w1, v);
                v = Vector256.Create(*(int*)(x + 4)).AsSByte();
                a10 = AvxVnni.MultiplyWideningAndAdd(a10, w0, v);
                a11 = AvxVnni.MultiplyWideningAndAdd(a11, w1, v);
                v = Vector256.Create(*(int*)(x + 8)).AsSByte();
                a20 = AvxVnni.MultiplyWideningAndAdd(a20, w0, v);
                a21 = AvxVnni.MultiplyWideningAndAdd(a21, w1, v);
                v = Vector256.Create(*(int*)(x + 12)).AsSByte();
                a30 = AvxVnni.MultiplyWideningAndAdd(a30, w0, v);
                a31 = AvxVnni.MultiplyWideningAndAdd(a31, w1, v);
                v = Vector256.Create(*(int*)(x + 16)).AsSByte();
                a40 = AvxVnni.MultiplyWideningAndAdd(a40, w0, v);
                a41 = AvxVnni.MultiplyWideningAndAdd(a41, w1, v);
                v = Vector256.Create(*(int*)(x + 20)).AsSByte();
                a50 = AvxVnni.MultiplyWideningAndAdd(a50, w0, v);
                a51 = AvxVnni.MultiplyWideningAndAdd(a51, w1, v);
            }

            Vector256<float> s0 = Vector256.Load(scales + (b * PanelRows));
            Vector256<float> s1 = Vector256.Load(scales + (b * PanelRows) + 8);
            Accumulate(tile, a00, a01, s0, s1, tokenScales[0]);
            Accumulate(tile + PanelRows, a10, a11, s0, s1, tokenScales[1]);
            Accumulate(tile + (2 * PanelRows), a20, a21, s0, s1, tokenScales[2]);
            Accumulate(tile + (3 * PanelRows), a30, a31, s0, s1, tokenScales[3]);
            Accumulate(tile + (4 * PanelRows), a40, a41, s0, s1, tokenScales[4]);
            Accumulate(tile + (5 * PanelRows), a50, a51, s0, s1, tokenScales[5]);
            if (minTerms != null)
            {
                Vector256<float> m0 = Vector256.Load(minTerms + (b * PanelRows));
                Vector256<float> m1 = Vector256.Load(minTerms + (b * PanelRows) + 8);
                for (int j = 0; j < TileTokens; j++)
                {
                    Vector256<float> sum = Vector256.Create(tokenSums[j]);
                    float* line = tile + (j * PanelRows);
                    Fma.MultiplyAdd(m0, sum, Vector256.Load(line)).Store(line);
                    Fma.MultiplyAdd(m1, sum, Vector256.Load(line + 8)).Store(line + 8);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(float* line, Vector256<int> low, Vector256<int> high, Vector256<float> s0, Vector256<float> s1, float xScale)
    {
        Vector256<float> d = Vector256.Create(xScale);
        Fma.MultiplyAdd(Avx.ConvertToVector256Single(low), s0 * d, Vector256.Load(line)).Store(line);
        Fma.MultiplyAdd(Avx.ConvertToVector256Single(high), s1 * d, Vector256.Load(line + 8)).Store(line + 8);
    }

    // 8 rows × 8 quads (a dword each) → 8 quads × 8 rows: quad q's vector goes to destination + q·64.
    private static void TransposeQuads(Vector256<byte>* rows, byte* destination)
    {
        Vector256<int> t0 = Avx2.UnpackLow(rows[0].AsInt32(), rows[1].AsInt32());
        Vector256<int> t1 = Avx2.UnpackHigh(rows[0].AsInt32(), rows[1].AsInt32());
        Vector256<int> t2 = Avx2.UnpackLow(rows[2].AsInt32(), rows[3].AsInt32());
        Vector256<int> t3 = Avx2.UnpackHigh(rows[2].AsInt32(), rows[3].AsInt32());
        Vector256<int> t4 = Avx2.UnpackLow(rows[4].AsInt32(), rows[5].AsInt32());
        Vector256<int> t5 = Avx2.UnpackHigh(rows[4].AsInt32(), rows[5].AsInt32());
        Vector256<int> t6 = Avx2.UnpackLow(rows[6].AsInt32(), rows[7].AsInt32());
        Vector256<int> t7 = Avx2.UnpackHigh(rows[6].AsInt32(), rows[7].AsInt32());
        Vector256<int> u0 = Avx2.UnpackLow(t0.AsInt64(), t2.AsInt64()).AsInt32();
        Vector256<int> u1 = Avx2.UnpackHigh(t0.AsInt64(), t2.AsInt64()).AsInt32();
        Vector256<int> u2 = Avx2.UnpackLow(t1.AsInt64(), t3.AsInt64()).AsInt32();
        Vector256<int> u3 = Avx2.UnpackHigh(t1.AsInt64(), t3.AsInt64()).AsInt32();
        Vector256<int> u4 = Avx2.UnpackLow(t4.AsInt64(), t6.AsInt64()).AsInt32();
        Vector256<int> u5 = Avx2.UnpackHigh(t4.AsInt64(), t6.AsInt64()).AsInt32();
        Vector256<int> u6 = Avx2.UnpackLow(t5.AsInt64(), t7.AsInt64()).AsInt32();
        Vector256<int> u7 = Avx2.UnpackHigh(t5.AsInt64(), t7.AsInt64()).AsInt32();
        const int Quad = 2 * 32;
        Avx2.Permute2x128(u0, u4, 0x20).Store((int*)destination);
        Avx2.Permute2x128(u1, u5, 0x20).Store((int*)(destination + Quad));
        Avx2.Permute2x128(u2, u6, 0x20).Store((int*)(destination + (2 * Quad)));
        Avx2.Permute2x128(u3, u7, 0x20).Store((int*)(destination + (3 * Quad)));
        Avx2.Permute2x128(u0, u4, 0x31).Store((int*)(destination + (4 * Quad)));
        Avx2.Permute2x128(u1, u5, 0x31).Store((int*)(destination + (5 * Quad)));
        Avx2.Permute2x128(u2, u6, 0x31).Store((int*)(destination + (6 * Quad)));
        Avx2.Permute2x128(u3, u7, 0x31).Store((int*)(destination + (7 * Quad)));
    }

    /// <summary>A token panel: quads [blocks·8][6 tokens][4 bytes]; scales, offsets and scale·Σx [blocks][6 tokens].</summary>
    internal readonly struct TokenPanel(byte* quads, float* scales, int* offsets, float* sums)
    {
        public byte* Quads { get; } = quads;

        public float* Scales { get; } = scales;

        public int* Offsets { get; } = offsets;

        public float* Sums { get; } = sums;
    }
}
