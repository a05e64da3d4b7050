using System.Runtime.InteropServices;

namespace Nlps.Inference.Tensors;

/// <summary>
/// A row-major [Rows, Cols] weight matrix in 64-byte-aligned native memory, as f32 or bf16. Several checkpoint
/// tensors with the same column count can be stacked into one (q/k/v, gate/up) so one parallel pass covers them.
/// </summary>
internal sealed unsafe class WeightMatrix : IDisposable
{
    private readonly NativeBuffer<float>? _f32;
    private readonly NativeBuffer<ushort>? _bf16;

    public WeightMatrix(int rows, int cols, ElementType type)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        Rows = rows;
        Cols = cols;
        Type = type;
        long length = (long)rows * cols;
        if (type == ElementType.F32)
        {
            _f32 = new NativeBuffer<float>(length);
        }
        else
        {
            _bf16 = new NativeBuffer<ushort>(length);
        }
    }

    public int Rows { get; }

    public int Cols { get; }

    public ElementType Type { get; }

    public long ByteSize => (long)Rows * Cols * (Type == ElementType.F32 ? 4 : 2);

    public float* F32 => _f32!.Pointer;

    public ushort* BF16 => _bf16!.Pointer;

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
        if (Type == ElementType.F32)
        {
            new ReadOnlySpan<float>(F32 + at, Cols).CopyTo(destination);
        }
        else
        {
            BFloat16.ToSingle(new ReadOnlySpan<ushort>(BF16 + at, Cols), destination);
        }
    }

    public void Dispose()
    {
        _f32?.Dispose();
        _bf16?.Dispose();
    }
}
