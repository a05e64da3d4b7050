using Nlps.Inference.Kernels;

namespace Nlps.Inference.Models.Encoders;

/// <summary>
/// The encoder's row-wise steps, parallel over token rows: GELU over the FFN's inner rows, and the post-LN residual
/// x = LayerNorm(x + projected). At batch 32 × 128 tokens these are 4,096 rows of up to 4,096 floats, too much to leave
/// to one thread while the others wait.
/// </summary>
internal sealed unsafe class EncoderRowWork : IParallelWork
{
    private const int Grain = 16;

    private float* _rows;
    private float* _residual;
    private int _width;
    private float[]? _weight;
    private float[]? _bias;
    private float _eps;

    public void Gelu(KernelPool pool, float* rows, int count, int width)
    {
        _rows = rows;
        _width = width;
        _weight = null;
        pool.Run(this, count, Grain);
    }

    public void AddLayerNorm(KernelPool pool, float* rows, float* residual, int count, int width, (float[] Weight, float[] Bias) norm, float eps)
    {
        _rows = rows;
        _residual = residual;
        _width = width;
        (_weight, _bias) = norm;
        _eps = eps;
        pool.Run(this, count, Grain);
    }

    public void Execute(int start, int end, int participant)
    {
        for (int r = start; r < end; r++)
        {
            float* row = _rows + ((long)r * _width);
            if (_weight is null)
            {
                Kernels.Gelu.Apply(row, _width);
            }
            else
            {
                LayerNorm.AddApply(row, _residual + ((long)r * _width), _width, _weight, _bias!, _eps);
            }
        }
    }
}
