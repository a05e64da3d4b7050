using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// y[t, r] = W[r, :] · x[t, :] (+ bias[r]) for t in [0, Tokens), parallel over weight rows r. Layout: W row-major
/// [Rows, Cols]; x is Tokens rows of Cols f32, <c>XStride</c> apart; y is Tokens rows, <c>YStride</c> apart. Tokens
/// are taken four at a time so each weight row is read from memory once per four tokens (the prefill "GEMM").
/// For int8 and int4 weights the activations are first quantized to int8 blocks of 32 (<see cref="BlockQuantizer"/>;
/// for int4 also −8·Σx per block) into buffers kept between calls, so steady-state decoding allocates nothing.
/// Int8Block16 and Int4Min (the K-quant layouts) take the same activations.
/// </summary>
internal sealed unsafe class LinearWork : IParallelWork, IDisposable
{
    private WeightMatrix? _w;
    private float* _bias;
    private float* _x;
    private float* _y;
    private int _xStride;
    private int _yStride;
    private int _tokens;
    private readonly QuantizedActivations _xq = new();
    private NativeBuffer<float>? _xPaired;

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
        if (w.Type is not (ElementType.F32 or ElementType.BF16))
        {
            _xq.Quantize(x, xStride, tokens, w.Cols, w.Type is ElementType.Int4 or ElementType.Int4Min);
        }
        else if (w.Type == ElementType.BF16)
        {
            PairActivations(w.Cols);
        }

        pool.Run(this, w.Rows, Grain(w.Rows));
        _w = null;
    }

    /// <summary>Frees the quantized-activation buffers.</summary>
    public void Dispose()
    {
        _xq.Dispose();
        _xPaired?.Dispose();
    }

    public void Execute(int start, int end, int participant)
    {
        WeightMatrix w = _w!;
        int cols = w.Cols;
        float* four = stackalloc float[4];
        if (w.Type is ElementType.Int8 or ElementType.Int8Block16)
        {
            ExecuteInt8(w, start, end, four);
            return;
        }

        if (w.Type is ElementType.Int4 or ElementType.Int4Min)
        {
            ExecuteInt4(w, start, end, four);
            return;
        }

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
                float* paired = _xPaired!.Pointer;
                for (; t <= _tokens - 4; t += 4)
                {
                    Dot.BF16x4(row, paired + (long)t * cols, cols, cols, four);
                    Store(four, t, r, bias);
                }

                for (; t < _tokens; t++)
                {
                    _y[(long)t * _yStride + r] = Dot.BF16(row, paired + (long)t * cols, cols) + bias;
                }
            }
        }
    }

    private void ExecuteInt8(WeightMatrix w, int start, int end, float* four)
    {
        int cols = w.Cols;
        int blocks = w.BlocksPerRow;
        bool by16 = w.Type == ElementType.Int8Block16;
        sbyte* xq = _xq.Values;
        float* xs = _xq.Scales;
        for (int r = start; r < end; r++)
        {
            float bias = _bias != null ? _bias[r] : 0f;
            sbyte* row = w.Q8 + (long)r * cols;
            float* wScale = w.Scales + (long)r * w.ScalesPerRow;
            int t = 0;
            for (; t <= _tokens - 4; t += 4)
            {
                if (by16)
                {
                    QuantizedDot.Q8By16x4(row, wScale, xq + (long)t * cols, xs + (long)t * blocks, cols, cols, four);
                }
                else
                {
                    QuantizedDot.Q8x4(row, wScale, xq + (long)t * cols, xs + (long)t * blocks, cols, cols, four);
                }

                Store(four, t, r, bias);
            }

            for (; t < _tokens; t++)
            {
                float dot = by16
                    ? QuantizedDot.Q8By16(row, wScale, xq + (long)t * cols, xs + (long)t * blocks, cols)
                    : QuantizedDot.Q8(row, wScale, xq + (long)t * cols, xs + (long)t * blocks, cols);
                _y[(long)t * _yStride + r] = dot + bias;
            }
        }
    }

    private void ExecuteInt4(WeightMatrix w, int start, int end, float* four)
    {
        int cols = w.Cols;
        int blocks = w.BlocksPerRow;
        sbyte* xq = _xq.Values;
        float* xs = _xq.Scales;
        int* xo = _xq.Offsets;
        float* mins = w.Type == ElementType.Int4Min ? w.Mins : null;
        for (int r = start; r < end; r++)
        {
            float bias = _bias != null ? _bias[r] : 0f;
            byte* row = w.Q4 + ((long)r * cols / 2);
            float* wScale = w.Scales + (long)r * blocks;
            float* wMin = mins + (long)r * blocks;
            int t = 0;
            for (; t <= _tokens - 4; t += 4)
            {
                if (mins != null)
                {
                    Int4Dot.Q4Minx4(row, wScale, wMin, xq + (long)t * cols, xs + (long)t * blocks, xo + (long)t * blocks, cols, cols, four);
                }
                else
                {
                    Int4Dot.Q4x4(row, wScale, xq + (long)t * cols, xs + (long)t * blocks, xo + (long)t * blocks, cols, cols, four);
                }

                Store(four, t, r, bias);
            }

            for (; t < _tokens; t++)
            {
                float dot = mins != null
                    ? Int4Dot.Q4Min(row, wScale, wMin, xq + (long)t * cols, xs + (long)t * blocks, xo + (long)t * blocks, cols)
                    : Int4Dot.Q4(row, wScale, xq + (long)t * cols, xs + (long)t * blocks, xo + (long)t * blocks, cols);
                _y[(long)t * _yStride + r] = dot + bias;
            }
        }
    }

    private void PairActivations(int cols)
    {
        long values = (long)_tokens * cols;
        if (_xPaired is null || _xPaired.Length < values)
        {
            _xPaired?.Dispose();
            _xPaired = new NativeBuffer<float>(values);
        }

        for (int t = 0; t < _tokens; t++)
        {
            Dot.PairForBF16(_x + (long)t * _xStride, cols, _xPaired.Pointer + (long)t * cols);
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
