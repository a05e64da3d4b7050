using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// y = x·Wᵀ + b for many tokens (an encoder's batch), parallel over W's panels. Tokens go in blocks whose inputs fit
/// in a core's L2 (about 1 MiB), so each panel streamed from memory is used by the whole block.
/// </summary>
internal sealed unsafe class GemmWork : IParallelWork
{
    private const long BlockBytes = 1 << 20;

    private PackedMatrix? _w;
    private float* _x;
    private float* _y;
    private int _xStride;
    private int _yStride;
    private int _tokens;

    public void Run(KernelPool pool, PackedMatrix w, float* x, int xStride, float* y, int yStride, int tokens)
    {
        _w = w;
        _xStride = xStride;
        _yStride = yStride;
        int block = (int)Math.Max(PackedGemm.TileTokens, BlockBytes / (w.Cols * sizeof(float)) / PackedGemm.TileTokens * PackedGemm.TileTokens);
        for (int t = 0; t < tokens; t += block)
        {
            _x = x + ((long)t * xStride);
            _y = y + ((long)t * yStride);
            _tokens = Math.Min(block, tokens - t);
            pool.Run(this, w.Panels, 1);
        }

        _w = null;
    }

    public void Execute(int start, int end, int participant)
    {
        PackedMatrix w = _w!;
        PackedGemm.Multiply(w.Data, w.Rows, w.Cols, w.Bias, _x, _xStride, _tokens, _y, _yStride, start, end);
    }
}
