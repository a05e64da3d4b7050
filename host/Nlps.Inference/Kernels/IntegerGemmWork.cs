using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// y[t, r] = W[r, :] · x[t, :] (+ bias[r]) for many tokens with int8 or int4 weights (Q8_0, Q4_0, Q4_K), in integer arithmetic on
/// <see cref="RowPanelVnni"/>'s tile. Two parallel passes: the activations are quantized as the decode kernels quantize
/// them and packed into token panels of 6 rows, then each thread takes panels of 16 weight rows and, a chunk of depth
/// at a time (so the packed chunk stays in L1 while every token panel streams past it), multiplies all tokens. The
/// result is the decode step's sum up to f32 rounding order. Buffers grow with the largest call and are kept.
/// </summary>
internal sealed unsafe class IntegerGemmWork : IParallelWork, IDisposable
{
    // Blocks of 32 columns per depth chunk: a 16 KiB row panel.
    private const int ChunkBlocks = 32;

    private readonly Scratch[] _scratch;
    private NativeBuffer<byte>? _tokens;
    private NativeBuffer<float>? _tokenScales;
    private NativeBuffer<int>? _tokenOffsets;
    private NativeBuffer<float>? _tokenSums;
    private WeightMatrix? _w;
    private bool _packingTokens;
    private float* _x;
    private int _xStride;
    private float* _bias;
    private float* _y;
    private int _yStride;
    private int _count;
    private int _tiles;

    public IntegerGemmWork(int participants)
    {
        _scratch = new Scratch[participants];
        for (int i = 0; i < participants; i++)
        {
            _scratch[i] = new Scratch();
        }
    }

    /// <summary>Whether this machine and <paramref name="w"/>'s layout can go through the integer tile.</summary>
    public static bool Supports(WeightMatrix w) => RowPanelVnni.IsSupported && RowPanelVnni.Handles(w);

    public void Run(KernelPool pool, WeightMatrix w, float* bias, float* x, int xStride, float* y, int yStride, int tokens)
    {
        int blocks = w.BlocksPerRow;
        _tiles = (tokens + RowPanelVnni.TileTokens - 1) / RowPanelVnni.TileTokens;
        NativeBuffer<byte>.Grow(ref _tokens, (long)_tiles * RowPanelVnni.TokenPanelBytes(blocks));
        NativeBuffer<float>.Grow(ref _tokenScales, (long)_tiles * RowPanelVnni.TileTokens * blocks);
        NativeBuffer<int>.Grow(ref _tokenOffsets, (long)_tiles * RowPanelVnni.TileTokens * blocks);
        NativeBuffer<float>.Grow(ref _tokenSums, (long)_tiles * RowPanelVnni.TileTokens * blocks);
        foreach (Scratch scratch in _scratch)
        {
            scratch.Reserve(_tiles);
        }

        _w = w;
        _x = x;
        _xStride = xStride;
        _bias = bias;
        _y = y;
        _yStride = yStride;
        _count = tokens;
        _packingTokens = true;
        pool.Run(this, _tiles, 1);
        _packingTokens = false;
        int panels = (w.Rows + RowPanelVnni.PanelRows - 1) / RowPanelVnni.PanelRows;
        pool.Run(this, panels, Math.Clamp(panels / 32, 1, 16));
        _w = null;
    }

    public void Execute(int start, int end, int participant)
    {
        if (_packingTokens)
        {
            PackTokens(start, end, _scratch[participant]);
        }
        else
        {
            MultiplyPanels(start, end, _scratch[participant]);
        }
    }

    public void Dispose()
    {
        _tokens?.Dispose();
        _tokenScales?.Dispose();
        _tokenOffsets?.Dispose();
        _tokenSums?.Dispose();
        foreach (Scratch scratch in _scratch)
        {
            scratch.Dispose();
        }
    }


    private void PackTokens(int start, int end, Scratch scratch)
    {
        WeightMatrix w = _w!;
        int cols = w.Cols, blocks = w.BlocksPerRow, shift = RowPanelVnni.OffsetShift(w);
        for (int tile = start; tile < end; tile++)
        {
            RowPanelVnni.TokenPanel panel = TokenPanel(tile, blocks);
            for (int lane = 0; lane < RowPanelVnni.TileTokens; lane++)
            {
                int t = (tile * RowPanelVnni.TileTokens) + lane;
                if (t >= _count)
                {
                    RowPanelVnni.PackToken(null, null, null, blocks, shift, lane, panel);
                    continue;
                }

                scratch.Quantize(_x + ((long)t * _xStride), cols);
                RowPanelVnni.PackToken(scratch.Values, scratch.Scales, scratch.Offsets, blocks, shift, lane, panel);
            }
        }
    }

    private RowPanelVnni.TokenPanel TokenPanel(int tile, int blocks)
    {
        long at = (long)tile * RowPanelVnni.TileTokens * blocks;
        return new(_tokens!.Pointer + ((long)tile * RowPanelVnni.TokenPanelBytes(blocks)), _tokenScales!.Pointer + at, _tokenOffsets!.Pointer + at, _tokenSums!.Pointer + at);
    }

    private void MultiplyPanels(int start, int end, Scratch scratch)
    {
        WeightMatrix w = _w!;
        int blocks = w.BlocksPerRow;
        const int TileFloats = RowPanelVnni.TileTokens * RowPanelVnni.PanelRows;
        float* sums = scratch.Sums;
        float* minTerms = w.Type == ElementType.Int4Min ? scratch.PanelMinTerms : null;
        for (int g = start; g < end; g++)
        {
            int r0 = g * RowPanelVnni.PanelRows;
            int rows = Math.Min(RowPanelVnni.PanelRows, w.Rows - r0);
            for (int i = 0; i < _tiles * RowPanelVnni.TileTokens; i++)
            {
                for (int r = 0; r < RowPanelVnni.PanelRows; r++)
                {
                    sums[(i * RowPanelVnni.PanelRows) + r] = _bias != null && r < rows ? _bias[r0 + r] : 0f;
                }
            }

            for (int b0 = 0; b0 < blocks; b0 += ChunkBlocks)
            {
                int chunk = Math.Min(ChunkBlocks, blocks - b0);
                RowPanelVnni.Pack(w, r0, b0, chunk, scratch.Panel, scratch.PanelScales, scratch.PanelMinTerms);
                for (int tile = 0; tile < _tiles; tile++)
                {
                    RowPanelVnni.Tile(scratch.Panel, scratch.PanelScales, minTerms, chunk, TokenPanel(tile, blocks), b0, sums + (tile * TileFloats));
                }
            }

            for (int t = 0; t < _count; t++)
            {
                new ReadOnlySpan<float>(sums + (t * RowPanelVnni.PanelRows), rows).CopyTo(new Span<float>(_y + ((long)t * _yStride) + r0, rows));
            }
        }
    }

    // One thread's buffers: a quantized activation row, a packed depth chunk of a row panel, and the f32 sums of
    // every token against the current panel.
    private sealed class Scratch : IDisposable
    {
        private readonly QuantizedActivations _row = new();
        private NativeBuffer<byte>? _panel;
        private NativeBuffer<float>? _panelScales;
        private NativeBuffer<float>? _panelMinTerms;
        private NativeBuffer<float>? _sums;

        public sbyte* Values => _row.Values;

        public float* Scales => _row.Scales;

        public int* Offsets => _row.Offsets;

        public byte* Panel => _panel!.Pointer;

        public float* PanelScales => _panelScales!.Pointer;

        public float* PanelMinTerms => _panelMinTerms!.Pointer;

        public float* Sums => _sums!.Pointer;

        public void Reserve(int tiles)
        {
            NativeBuffer<byte>.Grow(ref _panel, RowPanelVnni.PanelBytes(ChunkBlocks));
            NativeBuffer<float>.Grow(ref _panelScales, RowPanelVnni.PanelRows * ChunkBlocks);
            NativeBuffer<float>.Grow(ref _panelMinTerms, RowPanelVnni.PanelRows * ChunkBlocks);
            NativeBuffer<float>.Grow(ref _sums, (long)tiles * RowPanelVnni.TileTokens * RowPanelVnni.PanelRows);
        }

        public void Quantize(float* x, int cols) => _row.Quantize(x, cols, 1, cols, offsets: true);

        public void Dispose()
        {
            _row.Dispose();
            _panel?.Dispose();
            _panelScales?.Dispose();
            _panelMinTerms?.Dispose();
            _sums?.Dispose();
        }
    }
}
