using System.Runtime.Intrinsics;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// y[t, r] = W[r, :] · x[t, :] (+ bias[r]) for many tokens (a prompt chunk, a large decode batch), parallel over tiles
/// of 8 weight rows, through <see cref="TokenPanelGemm"/>'s register tile. Same layouts as <see cref="LinearWork"/>.
/// The activations are packed once into token panels; the depth (k) is cut into blocks whose panels fit in a core's L2
/// (about 512 KiB), and each thread widens its 8 rows of the current block to f32 into its own buffer once and
/// multiplies every token against them. Unlike <see cref="LinearWork"/>, int8/int4 activations are not quantized:
/// the products are f32 × widened weights, so prefill is at least as exact as a decode step. Buffers grow with the
/// largest call and are kept; only many-token calls come here, so decoding one token still allocates nothing.
/// </summary>
internal sealed unsafe class PrefillGemmWork : IParallelWork, IDisposable
{
    private const int PanelBlockFloats = 1 << 17;

    private readonly NativeBuffer<float>?[] _rows;
    private NativeBuffer<float>? _panels;
    private WeightMatrix? _w;
    private float* _bias;
    private float* _y;
    private int _yStride;
    private int _tokens;
    private int _from;
    private int _depth;

    public PrefillGemmWork(int participants)
    {
        _rows = new NativeBuffer<float>?[participants];
    }

    /// <summary>The tile needs 512-bit vectors; without them callers stay on <see cref="LinearWork"/>.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    public void Run(KernelPool pool, WeightMatrix w, float* bias, float* x, int xStride, float* y, int yStride, int tokens)
    {
        int cols = w.Cols;
        int panels = TokenPanelGemm.Panels(tokens);
        long packed = (long)panels * TokenPanelGemm.PanelTokens * cols;
        if (_panels is null || _panels.Length < packed)
        {
            _panels?.Dispose();
            _panels = new NativeBuffer<float>(packed);
        }

        TokenPanelGemm.PackTokens(x, xStride, tokens, cols, _panels.Pointer);
        int block = Math.Max(QuantizedDot.Block, PanelBlockFloats / (panels * TokenPanelGemm.PanelTokens) / QuantizedDot.Block * QuantizedDot.Block);
        for (int i = 0; i < _rows.Length; i++)
        {
            long widened = (long)TokenPanelGemm.TileRows * Math.Min(block, cols);
            if (_rows[i] is null || _rows[i]!.Length < widened)
            {
                _rows[i]?.Dispose();
                _rows[i] = new NativeBuffer<float>(widened);
            }
        }

        _w = w;
        _bias = bias;
        _y = y;
        _yStride = yStride;
        _tokens = tokens;
        int tiles = (w.Rows + TokenPanelGemm.TileRows - 1) / TokenPanelGemm.TileRows;
        for (_from = 0; _from < cols; _from += block)
        {
            _depth = Math.Min(block, cols - _from);
            pool.Run(this, tiles, Math.Clamp(tiles / 32, 1, 16));
        }

        _w = null;
    }

    public void Execute(int start, int end, int participant)
    {
        WeightMatrix w = _w!;
        int cols = w.Cols;
        float* tile = stackalloc float[TokenPanelGemm.TileRows * TokenPanelGemm.PanelTokens];
        float* widened = _rows[participant]!.Pointer;
        float* panels = _panels!.Pointer;
        for (int g = start; g < end; g++)
        {
            int r0 = g * TokenPanelGemm.TileRows;
            int rows = Math.Min(TokenPanelGemm.TileRows, w.Rows - r0);
            float* weights = widened;
            long stride = _depth;
            if (w.Type == ElementType.F32 && rows == TokenPanelGemm.TileRows)
            {
                weights = w.F32 + ((long)r0 * cols) + _from;
                stride = cols;
            }
            else
            {
                for (int i = 0; i < TokenPanelGemm.TileRows; i++)
                {
                    if (i < rows)
                    {
                        WeightRows.Widen(w, r0 + i, _from, _depth, widened + ((long)i * _depth));
                    }
                    else
                    {
                        new Span<float>(widened + ((long)i * _depth), _depth).Clear();
                    }
                }
            }

            for (int t0 = 0; t0 < _tokens; t0 += TokenPanelGemm.PanelTokens)
            {
                int count = Math.Min(TokenPanelGemm.PanelTokens, _tokens - t0);
                LoadTile(tile, r0, rows, t0, count);
                TokenPanelGemm.Tile(weights, stride, panels + (((long)t0 * cols) + ((long)_from * TokenPanelGemm.PanelTokens)), _depth, tile);
                StoreTile(tile, r0, rows, t0, count);
            }
        }
    }

    public void Dispose()
    {
        _panels?.Dispose();
        foreach (NativeBuffer<float>? rows in _rows)
        {
            rows?.Dispose();
        }
    }

    // The first depth block starts from the bias; later ones continue from what the previous block wrote to y.
    private void LoadTile(float* tile, int r0, int rows, int t0, int count)
    {
        for (int i = 0; i < TokenPanelGemm.TileRows; i++)
        {
            float* line = tile + (i * TokenPanelGemm.PanelTokens);
            if (_from == 0 || i >= rows)
            {
                new Span<float>(line, TokenPanelGemm.PanelTokens).Fill(_bias != null && i < rows ? _bias[r0 + i] : 0f);
                continue;
            }

            for (int j = 0; j < count; j++)
            {
                line[j] = _y[((long)(t0 + j) * _yStride) + r0 + i];
            }
        }
    }

    private void StoreTile(float* tile, int r0, int rows, int t0, int count)
    {
        for (int j = 0; j < count; j++)
        {
            float* target = _y + ((long)(t0 + j) * _yStride) + r0;
            for (int i = 0; i < rows; i++)
            {
                target[i] = tile[(i * TokenPanelGemm.PanelTokens) + j];
            }
        }
    }
}
