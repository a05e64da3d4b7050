using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// y[t, r] = W[r, :] · x[t, :] (+ bias[r]) for t in [0, Tokens), parallel over weight rows r. Layout: W row-major
/// [Rows, Cols]; x is Tokens rows of Cols f32, <c>XStride</c> apart; y is Tokens rows, <c>YStride</c> apart. Tokens
/// are taken four at a time so each weight row is read from memory once per four tokens (the prefill "GEMM").
/// </summary>
internal sealed unsafe class LinearWork : IParallelWork
{
    private WeightMatrix? _w;
    private float* _bias;
    private float* _x;
    private float* _y;
    private int _xStride;
    private int _yStride;
    private int _tokens;

    /// <summary>Rows per chunk handed to a thread: small enough to balance 2–16 threads, large enough to amortise the counter.</summary>
    public static int Grain(int rows) => Math.Clamp(rows / 64, 8, 64);

    public void Run(KernelPool pool, WeightMatrix w, float* bias, float* x, int xStride, float* y, int yStride, int tokens)
    {
        _w = w;
        _bias = bias;
        _x = x;
        _xStride = xStride;
        _y = y;
        _yStride = yStride;
        _tokens = tokens;
        pool.Run(this, w.Rows, Grain(w.Rows));
        _w = null;
    }

    public void Execute(int start, int end, int participant)
    {
        WeightMatrix w = _w!;
        int cols = w.Cols;
        float* four = stackalloc float[4];
        for (int r = start; r < end; r++)
        {
            float bias = _bias != null ? _bias[r] : 0f;
            int t = 0;
            if (w.Type == ElementType.F32)
            {
                float* row = w.F32 + (long)r * cols;
                for (; t <= _tokens - 4; t += 4)
                {
                    Dot.F32x4(row, _x + (long)t * _xStride, _xStride, cols, four);
                    Store(four, t, r, bias);
                }

                for (; t < _tokens; t++)
                {
                    _y[(long)t * _yStride + r] = Dot.F32(row, _x + (long)t * _xStride, cols) + bias;
                }
            }
            else
            {
                ushort* row = w.BF16 + (long)r * cols;
                for (; t <= _tokens - 4; t += 4)
                {
                    Dot.BF16x4(row, _x + (long)t * _xStride, _xStride, cols, four);
                    Store(four, t, r, bias);
                }

                for (; t < _tokens; t++)
                {
                    _y[(long)t * _yStride + r] = Dot.BF16(row, _x + (long)t * _xStride, cols) + bias;
                }
            }
        }
    }

    private void Store(float* four, int t, int r, float bias)
    {
        for (int k = 0; k < 4; k++)
        {
            _y[(long)(t + k) * _yStride + r] = four[k] + bias;
        }
    }
}
