using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nlps.Inference.Kernels;

/// <summary>
/// y[t, n] = Σ_k x[t, k] · W[n, k] (+ bias[n]) with W packed in panels of <see cref="Width"/> output columns:
/// panel p holds W[p·32 .. p·32+31, k] for k = 0..K-1 as [K][32] f32 (rows past N are zero). The inner kernel keeps
/// a 6-token × 32-column tile in twelve 512-bit accumulators and reads two weight vectors and six broadcast inputs
/// per k, so it runs on FMA throughput rather than on loads or horizontal sums (BLIS-style outer products).
/// </summary>
internal static unsafe class PackedGemm
{
    /// <summary>Output columns per panel.</summary>
    public const int Width = 32;

    /// <summary>Tokens per register tile.</summary>
    public const int TileTokens = 6;

    public static int Panels(int rows) => (rows + Width - 1) / Width;

    /// <summary>Packs row-major W [rows, cols] (row r at <paramref name="w"/> + r·stride) into panels at <paramref name="packed"/>.</summary>
    public static void PackRows(float* w, int rows, int cols, int stride, float* packed)
    {
        for (int p = 0; p < Panels(rows); p++)
        {
            float* panel = packed + ((long)p * cols * Width);
            for (int i = 0; i < Width; i++)
            {
                int r = (p * Width) + i;
                float* row = r < rows ? w + ((long)r * stride) : null;
                for (int k = 0; k < cols; k++)
                {
                    panel[(k * Width) + i] = row != null ? row[k] : 0f;
                }
            }
        }
    }

    /// <summary>Packs W = Mᵀ where M is row-major [cols, rows] (row k at <paramref name="m"/> + k·stride): each panel row is a copy.</summary>
    public static void PackColumns(float* m, int rows, int cols, int stride, float* packed)
    {
        for (int p = 0; p < Panels(rows); p++)
        {
            float* panel = packed + ((long)p * cols * Width);
            int width = Math.Min(Width, rows - (p * Width));
            for (int k = 0; k < cols; k++)
            {
                float* source = m + ((long)k * stride) + (p * Width);
                float* destination = panel + (k * Width);
                new ReadOnlySpan<float>(source, width).CopyTo(new Span<float>(destination, width));
                new Span<float>(destination + width, Width - width).Clear();
            }
        }
    }

    /// <summary>Computes panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>) of y for all tokens; bias (if any) is padded to whole panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(
        float* packed, int rows, int cols, float* bias, float* x, int xStride, int tokens, float* y, int yStride, int firstPanel, int endPanel)
    {
        float* tile = stackalloc float[TileTokens * Width];
        for (int p = firstPanel; p < endPanel; p++)
        {
            float* panel = packed + ((long)p * cols * Width);
            int n0 = p * Width;
            int width = Math.Min(Width, rows - n0);
            Vector512<float> b0 = bias != null ? Vector512.Load(bias + n0) : Vector512<float>.Zero;
            Vector512<float> b1 = bias != null ? Vector512.Load(bias + n0 + 16) : Vector512<float>.Zero;
            int t = 0;
            for (; t + TileTokens <= tokens; t += TileTokens)
            {
                bool direct = width == Width;
                float* target = direct ? y + ((long)t * yStride) + n0 : tile;
                int stride = direct ? yStride : Width;
                Tile6(panel, cols, x + ((long)t * xStride), xStride, target, stride, b0, b1);
                if (!direct)
                {
                    CopyTile(tile, TileTokens, width, y + ((long)t * yStride) + n0, yStride);
                }
            }

            for (; t < tokens; t++)
            {
                Tile1(panel, cols, x + ((long)t * xStride), tile, b0, b1);
                CopyTile(tile, 1, width, y + ((long)t * yStride) + n0, yStride);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6(float* panel, int cols, float* x, int xStride, float* y, int yStride, Vector512<float> b0, Vector512<float> b1)
    {
        Vector512<float> c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        Vector512<float> c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        float* x0 = x;
        float* x1 = x + xStride;
        float* x2 = x1 + xStride;
        float* x3 = x2 + xStride;
        float* x4 = x3 + xStride;
        float* x5 = x4 + xStride;
        float* w = panel;
        for (int k = 0; k < cols; k++, w += Width)
        {
            Vector512<float> w0 = Vector512.Load(w);
            Vector512<float> w1 = Vector512.Load(w + 16);
            Vector512<float> a = Vector512.Create(x0[k]);
            c00 = Vector512.FusedMultiplyAdd(a, w0, c00);
            c01 = Vector512.FusedMultiplyAdd(a, w1, c01);
            a = Vector512.Create(x1[k]);
            c10 = Vector512.FusedMultiplyAdd(a, w0, c10);
            c11 = Vector512.FusedMultiplyAdd(a, w1, c11);
            a = Vector512.Create(x2[k]);
            c20 = Vector512.FusedMultiplyAdd(a, w0, c20);
            c21 = Vector512.FusedMultiplyAdd(a, w1, c21);
            a = Vector512.Create(x3[k]);
            c30 = Vector512.FusedMultiplyAdd(a, w0, c30);
            c31 = Vector512.FusedMultiplyAdd(a, w1, c31);
            a = Vector512.Create(x4[k]);
            c40 = Vector512.FusedMultiplyAdd(a, w0, c40);
            c41 = Vector512.FusedMultiplyAdd(a, w1, c41);
            a = Vector512.Create(x5[k]);
            c50 = Vector512.FusedMultiplyAdd(a, w0, c50);
            c51 = Vector512.FusedMultiplyAdd(a, w1, c51);
        }

        c00.Store(y);
        c01.Store(y + 16);
        y += yStride;
        c10.Store(y);
        c11.Store(y + 16);
        y += yStride;
        c20.Store(y);
        c21.Store(y + 16);
        y += yStride;
        c30.Store(y);
        c31.Store(y + 16);
        y += yStride;
        c40.Store(y);
        c41.Store(y + 16);
        y += yStride;
        c50.Store(y);
        c51.Store(y + 16);
    }

    private static void Tile1(float* panel, int cols, float* x, float* y, Vector512<float> b0, Vector512<float> b1)
    {
        Vector512<float> c0 = b0, c1 = b1;
        float* w = panel;
        for (int k = 0; k < cols; k++, w += Width)
        {
            Vector512<float> a = Vector512.Create(x[k]);
            c0 = Vector512.FusedMultiplyAdd(a, Vector512.Load(w), c0);
            c1 = Vector512.FusedMultiplyAdd(a, Vector512.Load(w + 16), c1);
        }

        c0.Store(y);
        c1.Store(y + 16);
    }

    private static void CopyTile(float* tile, int tokens, int width, float* y, int yStride)
    {
        for (int t = 0; t < tokens; t++)
        {
            new ReadOnlySpan<float>(tile + (t * Width), width).CopyTo(new Span<float>(y + ((long)t * yStride), width));
        }
    }
}
