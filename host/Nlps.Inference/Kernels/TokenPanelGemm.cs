using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nlps.Inference.Kernels;

/// <summary>
/// The register tile of the decoder's many-token matrix product y[t, r] = Σ_k W[r, k] · x[t, k], with tokens along the
/// vector lanes: the activations are packed into token panels (<see cref="PackTokens"/>: [cols][32], x[t, k] of 32
/// tokens contiguous per k), and <see cref="Tile"/> keeps 8 weight rows × 32 tokens in sixteen 512-bit accumulators.
/// Per k it loads two panel vectors and broadcasts each row's W[r, k], so 16 FMAs share 10 loads and no horizontal
/// sum is needed. The weight rows are plain f32 rows (an f32 matrix itself, or rows widened from bf16/int8/int4 by
/// <see cref="WeightRows"/>), which is what lets one kernel serve every weight format without repacking the weights.
/// </summary>
internal static unsafe class TokenPanelGemm
{
    /// <summary>Weight rows per register tile.</summary>
    public const int TileRows = 8;

    /// <summary>Tokens per panel (two 512-bit vectors).</summary>
    public const int PanelTokens = 32;

    public static int Panels(int tokens) => (tokens + PanelTokens - 1) / PanelTokens;

    /// <summary>Packs x [tokens, cols] (rows <paramref name="xStride"/> apart) into panels of [cols][32]; tokens past the end are zero.</summary>
    public static void PackTokens(float* x, int xStride, int tokens, int cols, float* panels)
    {
        for (int p = 0; p < Panels(tokens); p++)
        {
            float* panel = panels + ((long)p * cols * PanelTokens);
            for (int j = 0; j < PanelTokens; j++)
            {
                int t = (p * PanelTokens) + j;
                float* row = x + ((long)t * xStride);
                for (int k = 0; k < cols; k++)
                {
                    panel[(k * PanelTokens) + j] = t < tokens ? row[k] : 0f;
                }
            }
        }
    }

    /// <summary>
    /// tile[i·32 + j] += Σ_k w[i·<paramref name="wStride"/> + k] · panel[k·32 + j] for 8 rows i, 32 tokens j and
    /// k in [0, <paramref name="depth"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(float* w, long wStride, float* panel, int depth, float* tile)
    {
        float* w0 = w;
        float* w1 = w0 + wStride;
        float* w2 = w1 + wStride;
        float* w3 = w2 + wStride;
        float* w4 = w3 + wStride;
        float* w5 = w4 + wStride;
        float* w6 = w5 + wStride;
        float* w7 = w6 + wStride;
        Vector512<float> c00 = Vector512.Load(tile), c01 = Vector512.Load(tile + 16);
        Vector512<float> c10 = Vector512.Load(tile + 32), c11 = Vector512.Load(tile + 48);
        Vector512<float> c20 = Vector512.Load(tile + 64), c21 = Vector512.Load(tile + 80);
        Vector512<float> c30 = Vector512.Load(tile + 96), c31 = Vector512.Load(tile + 112);
        Vector512<float> c40 = Vector512.Load(tile + 128), c41 = Vector512.Load(tile + 144);
        Vector512<float> c50 = Vector512.Load(tile + 160), c51 = Vector512.Load(tile + 176);
        Vector512<float> c60 = Vector512.Load(tile + 192), c61 = Vector512.Load(tile + 208);
        Vector512<float> c70 = Vector512.Load(tile + 224), c71 = Vector512.Load(tile + 240);
        float* x = panel;
        for (int k = 0; k < depth; k++, x += PanelTokens)
        {
            Vector512<float> x0 = Vector512.Load(x);
            Vector512<float> x1 = Vector512.Load(x + 16);
            Vector512<float> a = Vector512.Create(w0[k]);
            c00 = Vector512.FusedMultiplyAdd(a, x0, c00);
            c01 = Vector512.FusedMultiplyAdd(a, x1, c01);
            a = Vector512.Create(w1[k]);
            c10 = Vector512.FusedMultiplyAdd(a, x0, c10);
            c11 = Vector512.FusedMultiplyAdd(a, x1, c11);
            a = Vector512.Create(w2[k]);
            c20 = Vector512.FusedMultiplyAdd(a, x0, c20);
            c21 = Vector512.FusedMultiplyAdd(a, x1, c21);
            a = Vector512.Create(w3[k]);
            c30 = Vector512.FusedMultiplyAdd(a, x0, c30);
            c31 = Vector512.FusedMultiplyAdd(a, x1, c31);
            a = Vector512.Create(w4[k]);
            c40 = Vector512.FusedMultiplyAdd(a, x0, c40);
            c41 = Vector512.FusedMultiplyAdd(a, x1, c41);
            a = Vector512.Create(w5[k]);
            c50 = Vector512.FusedMultiplyAdd(a, x0, c50);
            c51 = Vector512.FusedMultiplyAdd(a, x1, c51);
            a = Vector512.Create(w6[k]);
            c60 = Vector512.FusedMultiplyAdd(a, x0, c60);
            c61 = Vector512.FusedMultiplyAdd(a, x1, c61);
            a = Vector512.Create(w7[k]);
            c70 = Vector512.FusedMultiplyAdd(a, x0, c70);
            c71 = Vector512.FusedMultiplyAdd(a, x1, c71);
        }

        c00.Store(tile);
        c01.Store(tile + 16);
        c10.Store(tile + 32);
        c11.Store(tile + 48);
        c20.Store(tile + 64);
        c21.Store(tile + 80);
        c30.Store(tile + 96);
        c31.Store(tile + 112);
        c40.Store(tile + 128);
        c41.Store(tile + 144);
        c50.Store(tile + 160);
        c51.Store(tile + 176);
        c60.Store(tile + 192);
        c61.Store(tile + 208);
        c70.Store(tile + 224);
        c71.Store(tile + 240);
    }
}
