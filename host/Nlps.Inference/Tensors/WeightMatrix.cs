using System.Runtime.InteropServices;

namespace Nlps.Inference.Tensors;

/// <summary>
/// A row-major [Rows, Cols] weight matrix in 64-byte-aligned native memory, as f32, bf16 or int8. Int8 is Q8_0-style:
/// the values as [Rows, Cols] sbyte, and beside them one f32 scale per block of 32 values as [Rows, Cols / 32]
/// (f32 rather than Q8_0's f16 so kernels never convert scales: 1.125 bytes per weight).
/// Several checkpoint tensors with the same column count can be stacked into one (q/k/v, gate/up) so one parallel
/// pass covers them.
/// </summary>
internal sealed unsafe class WeightMatrix : IDisposable
{
    private readonly NativeBuffer<float>? _f32;
    private readonly NativeBuffer<ushort>? _bf16;
    private readonly NativeBuffer<sbyte>? _q8;
    private readonly NativeBuffer<float>? _q8Scales;

    public WeightMatrix(int rows, int cols, ElementType type)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        Rows = rows;
        Cols = cols;
        Type = type;
        long length = (long)rows * cols;
        switch (type)
        {
            case ElementType.F32:
                _f32 = new NativeBuffer<float>(length);
                break;
            case ElementType.BF16:
                _bf16 = new NativeBuffer<ushort>(length);
                break;
            default:
                if (cols % Kernels.QuantizedDot.Block != 0)
                {
                    throw new ArgumentException($"int8 weights need a column count that is a multiple of {Kernels.QuantizedDot.Block}; this matrix has {cols}", nameof(cols));
                }

                _q8 = new NativeBuffer<sbyte>(length);
                _q8Scales = new NativeBuffer<float>(length / Kernels.QuantizedDot.Block);
                break;
        }
    }

    public int Rows { get; }

    public int Cols { get; }

    public ElementType Type { get; }

    /// <summary>Blocks of 32 per row (int8 only).</summary>
    public int BlocksPerRow => Cols / Kernels.QuantizedDot.Block;

    public long ByteSize => Type switch
    {
        ElementType.F32 => (long)Rows * Cols * 4,
        ElementType.BF16 => (long)Rows * Cols * 2,
        _ => ((long)Rows * Cols) + ((long)Rows * BlocksPerRow * 4),
    };

    public float* F32 => _f32!.Pointer;

    public ushort* BF16 => _bf16!.Pointer;

    public sbyte* Q8 => _q8!.Pointer;

    public float* Q8Scales => _q8Scales!.Pointer;

    /// <summary>
    /// Converts <paramref name="rows"/> rows of checkpoint bytes (<paramref name="dtype"/> F32, F16 or BF16) into this
    /// matrix starting at row <paramref name="firstRow"/>.
    /// </summary>
    public void CopyRows(int firstRow, int rows, ReadOnlySpan<byte> source, string dtype, string tensorName)
    {
        if (firstRow < 0 || rows < 0 || firstRow + rows > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(firstRow), $"{tensorName}: rows {firstRow}..{firstRow + rows} outside a matrix of {Rows}");
        }

        if (Type == ElementType.Int8)
        {
            QuantizeRows(firstRow, rows, source, dtype, tensorName);
            return;
        }

        long count = (long)rows * Cols;
        const int chunk = 1 << 16;
        Span<float> scratch = Type == ElementType.BF16 && dtype != "BF16" ? new float[Math.Min(count, chunk)] : [];
        for (long done = 0; done < count; done += chunk)
        {
            int n = (int)Math.Min(chunk, count - done);
            long at = (long)firstRow * Cols + done;
            switch (Type, dtype)
            {
                case (ElementType.F32, "F32"):
                    MemoryMarshal.Cast<byte, float>(source.Slice((int)(done * 4), n * 4)).CopyTo(new Span<float>(F32 + at, n));
                    break;
                case (ElementType.F32, "BF16"):
                    BFloat16.ToSingle(MemoryMarshal.Cast<byte, ushort>(source.Slice((int)(done * 2), n * 2)), new Span<float>(F32 + at, n));
                    break;
                case (ElementType.F32, "F16"):
                    BFloat16.HalfToSingle(MemoryMarshal.Cast<byte, Half>(source.Slice((int)(done * 2), n * 2)), new Span<float>(F32 + at, n));
                    break;
                case (ElementType.BF16, "BF16"):
                    MemoryMarshal.Cast<byte, ushort>(source.Slice((int)(done * 2), n * 2)).CopyTo(new Span<ushort>(BF16 + at, n));
                    break;
                case (ElementType.BF16, "F32"):
                    BFloat16.FromSingle(MemoryMarshal.Cast<byte, float>(source.Slice((int)(done * 4), n * 4)), new Span<ushort>(BF16 + at, n));
                    break;
                case (ElementType.BF16, "F16"):
                    BFloat16.HalfToSingle(MemoryMarshal.Cast<byte, Half>(source.Slice((int)(done * 2), n * 2)), scratch[..n]);
                    BFloat16.FromSingle(scratch[..n], new Span<ushort>(BF16 + at, n));
                    break;
                default:
                    throw new NotSupportedException($"{tensorName}: dtype {dtype} is not supported for weights (F32, F16, BF16)");
            }
        }
    }

    /// <summary>Writes row <paramref name="row"/> as f32 into <paramref name="destination"/> (embedding lookup).</summary>
    public void ReadRow(int row, Span<float> destination)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row outside 0..{Rows - 1}");
        }

        long at = (long)row * Cols;
        switch (Type)
        {
            case ElementType.F32:
                new ReadOnlySpan<float>(F32 + at, Cols).CopyTo(destination);
                break;
            case ElementType.BF16:
                BFloat16.ToSingle(new ReadOnlySpan<ushort>(BF16 + at, Cols), destination);
                break;
            default:
                int blocks = BlocksPerRow;
                for (int b = 0; b < blocks; b++)
                {
                    float scale = Q8Scales[((long)row * blocks) + b];
                    for (int i = 0; i < Kernels.QuantizedDot.Block; i++)
                    {
                        int c = (b * Kernels.QuantizedDot.Block) + i;
                        destination[c] = Q8[at + c] * scale;
                    }
                }

                break;
        }
    }

    // One row at a time: widen the checkpoint row to f32 and quantize it in blocks of 32.
    private void QuantizeRows(int firstRow, int rows, ReadOnlySpan<byte> source, string dtype, string tensorName)
    {
        int blocks = BlocksPerRow;
        var row = new float[Cols];
        var scratch = new float[Cols];
        int elementBytes = dtype == "F32" ? 4 : 2;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<byte> bytes = source.Slice(r * Cols * elementBytes, Cols * elementBytes);
            switch (dtype)
            {
                case "F32":
                    MemoryMarshal.Cast<byte, float>(bytes).CopyTo(row);
                    break;
                case "BF16":
                    BFloat16.ToSingle(MemoryMarshal.Cast<byte, ushort>(bytes), row);
                    break;
                case "F16":
                    BFloat16.HalfToSingle(MemoryMarshal.Cast<byte, Half>(bytes), row);
                    break;
                default:
                    throw new NotSupportedException($"{tensorName}: dtype {dtype} is not supported for weights (F32, F16, BF16)");
            }

            long target = firstRow + r;
            Kernels.BlockQuantizer.Quantize(row, new Span<sbyte>(Q8 + (target * Cols), Cols), new Span<float>(Q8Scales + (target * blocks), blocks), scratch);
        }
    }

    public void Dispose()
    {
        _f32?.Dispose();
        _bf16?.Dispose();
        _q8?.Dispose();
        _q8Scales?.Dispose();
    }
}
