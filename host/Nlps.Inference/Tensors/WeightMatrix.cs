using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Nlps.Inference.Kernels;

namespace Nlps.Inference.Tensors;

/// <summary>
/// A row-major [Rows, Cols] weight matrix in 64-byte-aligned native memory, as f32, bf16, int8 or int4. Int8 is
/// Q8_0-style: the values as [Rows, Cols] sbyte, and beside them one f32 scale per block of 32 values as
/// [Rows, Cols / 32] (f32 rather than Q8_0's f16 so kernels never convert scales: 1.125 bytes per weight). Int4 is
/// Q4_0-style with the same f32 scales: [Rows, Cols / 2] bytes, each block of 32 as 16 bytes whose low nibble is
/// element j and high nibble element j + 16, value (nibble − 8)·scale (0.625 bytes per weight). Two layouts hold
/// ggml's K-quants exactly: Int8Block16 (Q6_K) is Int8 with one scale per 16 values, [Rows, Cols / 16] (1.25 bytes per
/// weight); Int4Min (Q4_K) is Int4's nibbles with an f32 min per block beside the scale, value nibble·scale − min
/// (0.75 bytes per weight; Q4_0 is the case min = 8·scale).
/// Several checkpoint tensors with the same column count can be stacked into one (q/k/v, gate/up) so one parallel
/// pass covers them.
/// </summary>
internal sealed unsafe class WeightMatrix : IDisposable
{
    private readonly NativeBuffer<float>? _f32;
    private readonly NativeBuffer<ushort>? _bf16;
    private readonly NativeBuffer<sbyte>? _q8;
    private readonly NativeBuffer<byte>? _q4;
    private readonly NativeBuffer<float>? _scales;
    private readonly NativeBuffer<float>? _mins;

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
                if (cols % QuantizedDot.Block != 0)
                {
                    throw new ArgumentException($"{type} weights need a column count that is a multiple of {QuantizedDot.Block}; this matrix has {cols}", nameof(cols));
                }

                if (type is ElementType.Int8 or ElementType.Int8Block16)
                {
                    _q8 = new NativeBuffer<sbyte>(length);
                }
                else
                {
                    _q4 = new NativeBuffer<byte>(length / 2);
                }

                _scales = new NativeBuffer<float>((long)rows * ScalesPerRow);
                _mins = type == ElementType.Int4Min ? new NativeBuffer<float>(length / QuantizedDot.Block) : null;
                break;
        }
    }

    public int Rows { get; }

    public int Cols { get; }

    public ElementType Type { get; }

    /// <summary>Blocks of 32 per row (quantized types only; activations are quantized in these blocks).</summary>
    public int BlocksPerRow => Cols / QuantizedDot.Block;

    /// <summary>Scales per row: one per 16 values for Int8Block16, else one per block of 32.</summary>
    public int ScalesPerRow => Type == ElementType.Int8Block16 ? Cols / 16 : BlocksPerRow;

    public long ByteSize => SizeOf(Type, Rows, Cols);

    /// <summary>Bytes a [<paramref name="rows"/>, <paramref name="cols"/>] matrix of <paramref name="type"/> holds.</summary>
    public static long SizeOf(ElementType type, long rows, long cols) => type switch
    {
        ElementType.F32 => rows * cols * 4,
        ElementType.BF16 => rows * cols * 2,
        ElementType.Int8 => (rows * cols) + (rows * cols / QuantizedDot.Block * 4),
        ElementType.Int8Block16 => (rows * cols) + (rows * cols / 16 * 4),
        ElementType.Int4Min => (rows * cols / 2) + (rows * cols / QuantizedDot.Block * 8),
        _ => (rows * cols / 2) + (rows * cols / QuantizedDot.Block * 4),
    };

    public float* F32 => _f32!.Pointer;

    public ushort* BF16 => _bf16!.Pointer;

    public sbyte* Q8 => _q8!.Pointer;

    public byte* Q4 => _q4!.Pointer;

    /// <summary>The f32 scales of the quantized types, [Rows, ScalesPerRow].</summary>
    public float* Scales => _scales!.Pointer;

    /// <summary>Int4Min's f32 min per block of 32, [Rows, BlocksPerRow].</summary>
    public float* Mins => _mins!.Pointer;

    /// <summary>
    /// Converts <paramref name="rows"/> rows of checkpoint bytes (<paramref name="dtype"/> one of
    /// <see cref="GgmlBlocks.SupportedNames"/>) into this matrix starting at row <paramref name="firstRow"/>. Destination row r takes source row
    /// <paramref name="sourceRowOf"/>(r) when given (GGUF's permuted q/k rows), else row r.
    /// </summary>
    public void CopyRows(int firstRow, int rows, ReadOnlySpan<byte> source, string dtype, string tensorName, Func<int, int>? sourceRowOf = null)
    {
        if (firstRow < 0 || rows < 0 || firstRow + rows > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(firstRow), $"{tensorName}: rows {firstRow}..{firstRow + rows} outside a matrix of {Rows}");
        }

        if (!GgmlBlocks.IsSupported(dtype))
        {
            throw new NotSupportedException($"{tensorName}: dtype {dtype} is not supported for weights ({GgmlBlocks.SupportedNames})");
        }

        int rowBytes = GgmlBlocks.RowBytes(dtype, Cols);
        if (source.Length < (long)rows * rowBytes)
        {
            throw new ArgumentException($"{tensorName}: {source.Length} bytes hold fewer than {rows} rows of {rowBytes}", nameof(source));
        }

        var scratch = new float[Cols];
        var quantizeScratch = new float[Cols];
        for (int r = 0; r < rows; r++)
        {
            int from = sourceRowOf?.Invoke(r) ?? r;
            ConvertRow(firstRow + r, source.Slice(from * rowBytes, rowBytes), dtype, scratch, quantizeScratch);
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
        int blocks = BlocksPerRow;
        switch (Type)
        {
            case ElementType.Int8Block16:
                for (int c = 0; c < Cols; c++)
                {
                    destination[c] = Q8[at + c] * Scales[((long)row * ScalesPerRow) + (c / 16)];
                }

                break;
            case ElementType.Int4Min:
                for (int b = 0; b < blocks; b++)
                {
                    long block = ((long)row * blocks) + b;
                    byte* packed = Q4 + (at / 2) + (b * 16);
                    for (int i = 0; i < 16; i++)
                    {
                        destination[(b * 32) + i] = ((packed[i] & 0xF) * Scales[block]) - Mins[block];
                        destination[(b * 32) + i + 16] = ((packed[i] >> 4) * Scales[block]) - Mins[block];
                    }
                }

                break;
            case ElementType.F32:
                new ReadOnlySpan<float>(F32 + at, Cols).CopyTo(destination);
                break;
            case ElementType.BF16:
                BFloat16.ToSingle(new ReadOnlySpan<ushort>(BF16 + at, Cols), destination);
                break;
            case ElementType.Int8:
                for (int b = 0; b < blocks; b++)
                {
                    float scale = Scales[((long)row * blocks) + b];
                    for (int i = 0; i < QuantizedDot.Block; i++)
                    {
                        int c = (b * QuantizedDot.Block) + i;
                        destination[c] = Q8[at + c] * scale;
                    }
                }

                break;
            default:
                for (int b = 0; b < blocks; b++)
                {
                    float scale = Scales[((long)row * blocks) + b];
                    byte* packed = Q4 + (at / 2) + (b * 16);
                    for (int i = 0; i < 16; i++)
                    {
                        destination[(b * 32) + i] = ((packed[i] & 0xF) - 8) * scale;
                        destination[(b * 32) + i + 16] = ((packed[i] >> 4) - 8) * scale;
                    }
                }

                break;
        }
    }

    public void Dispose()
    {
        _f32?.Dispose();
        _bf16?.Dispose();
        _q8?.Dispose();
        _q4?.Dispose();
        _scales?.Dispose();
        _mins?.Dispose();
    }

    // Q8_0 → int8, Q4_0 → int8, Q4_0 → int4, Q6_K → Int8Block16 and Q4_K → Int4Min are exact (the block values and
    // scales carry over); everything else goes through f32.
    private void ConvertRow(long row, ReadOnlySpan<byte> source, string dtype, float[] values, float[] scratch)
    {
        int blocks = BlocksPerRow;
        switch (Type, dtype)
        {
            case (ElementType.F32, "F32"):
                MemoryMarshal.Cast<byte, float>(source).CopyTo(new Span<float>(F32 + (row * Cols), Cols));
                return;
            case (ElementType.BF16, "BF16"):
                MemoryMarshal.Cast<byte, ushort>(source).CopyTo(new Span<ushort>(BF16 + (row * Cols), Cols));
                return;
            case (ElementType.Int8, "Q8_0"):
                for (int b = 0; b < blocks; b++)
                {
                    ReadOnlySpan<byte> block = source.Slice(b * GgmlBlocks.Q8Bytes, GgmlBlocks.Q8Bytes);
                    Scales[(row * blocks) + b] = GgmlBlocks.Scale(block);
                    MemoryMarshal.Cast<byte, sbyte>(block[2..]).CopyTo(new Span<sbyte>(Q8 + (row * Cols) + (b * 32), 32));
                }

                return;
            case (ElementType.Int8, "Q4_0"):
                for (int b = 0; b < blocks; b++)
                {
                    ReadOnlySpan<byte> block = source.Slice(b * GgmlBlocks.Q4Bytes, GgmlBlocks.Q4Bytes);
                    Scales[(row * blocks) + b] = GgmlBlocks.Scale(block);
                    sbyte* q = Q8 + (row * Cols) + (b * 32);
                    for (int i = 0; i < 16; i++)
                    {
                        q[i] = (sbyte)((block[2 + i] & 0xF) - 8);
                        q[i + 16] = (sbyte)((block[2 + i] >> 4) - 8);
                    }
                }

                return;
            case (ElementType.Int4, "Q4_0"):
                for (int b = 0; b < blocks; b++)
                {
                    ReadOnlySpan<byte> block = source.Slice(b * GgmlBlocks.Q4Bytes, GgmlBlocks.Q4Bytes);
                    Scales[(row * blocks) + b] = GgmlBlocks.Scale(block);
                    block[2..].CopyTo(new Span<byte>(Q4 + (row * Cols / 2) + (b * 16), 16));
                }

                return;
            case (ElementType.Int8Block16, "Q6_K"):
                for (int k = 0; k < Cols / GgmlKQuants.SuperBlock; k++)
                {
                    GgmlKQuants.UnpackQ6K(
                        source.Slice(k * GgmlKQuants.Q6KBytes, GgmlKQuants.Q6KBytes),
                        new Span<sbyte>(Q8 + (row * Cols) + (k * GgmlKQuants.SuperBlock), GgmlKQuants.SuperBlock),
                        new Span<float>(Scales + (row * ScalesPerRow) + (k * 16), 16));
                }

                return;
            case (ElementType.Int4Min, "Q4_K"):
                for (int k = 0; k < Cols / GgmlKQuants.SuperBlock; k++)
                {
                    GgmlKQuants.UnpackQ4K(
                        source.Slice(k * GgmlKQuants.Q4KBytes, GgmlKQuants.Q4KBytes),
                        new Span<byte>(Q4 + (row * Cols / 2) + (k * 128), 128),
                        new Span<float>(Scales + (row * blocks) + (k * 8), 8),
                        new Span<float>(Mins + (row * blocks) + (k * 8), 8));
                }

                return;
        }

        GgmlBlocks.ToSingle(source, dtype, values);
        switch (Type)
        {
            case ElementType.F32:
                values.CopyTo(new Span<float>(F32 + (row * Cols), Cols));
                break;
            case ElementType.BF16:
                BFloat16.FromSingle(values, new Span<ushort>(BF16 + (row * Cols), Cols));
                break;
            case ElementType.Int8:
                BlockQuantizer.Quantize(values, new Span<sbyte>(Q8 + (row * Cols), Cols), new Span<float>(Scales + (row * blocks), blocks), scratch);
                break;
            case ElementType.Int8Block16:
                // Blocks of 16 quantized like Q8_0's blocks of 32: max|x| / 127 each.
                for (int k = 0; k < Cols / 16; k++)
                {
                    ReadOnlySpan<float> x = values.AsSpan(k * 16, 16);
                    float d = MathF.Abs(TensorPrimitives.MaxMagnitude(x)) / 127f;
                    Scales[(row * ScalesPerRow) + k] = d;
                    for (int i = 0; i < 16; i++)
                    {
                        Q8[(row * Cols) + (k * 16) + i] = d == 0 ? (sbyte)0 : (sbyte)MathF.Round(x[i] / d, MidpointRounding.AwayFromZero);
                    }
                }

                break;
            case ElementType.Int4Min:
                // Each block's range [min(0, lowest), highest] in 15 steps.
                for (int b = 0; b < blocks; b++)
                {
                    ReadOnlySpan<float> x = values.AsSpan(b * 32, 32);
                    float low = MathF.Min(0, TensorPrimitives.Min(x));
                    float d = (TensorPrimitives.Max(x) - low) / 15f;
                    float id = d != 0 ? 1f / d : 0f;
                    Scales[(row * blocks) + b] = d;
                    Mins[(row * blocks) + b] = -low;
                    byte* packed = Q4 + (row * Cols / 2) + (b * 16);
                    for (int i = 0; i < 16; i++)
                    {
                        int lo = Math.Clamp((int)MathF.Round((x[i] - low) * id), 0, 15), hi = Math.Clamp((int)MathF.Round((x[i + 16] - low) * id), 0, 15);
                        packed[i] = (byte)(lo | (hi << 4));
                    }
                }

                break;
            default:
                for (int b = 0; b < blocks; b++)
                {
                    ReadOnlySpan<float> block = values.AsSpan(b * 32, 32);
                    float d = GgmlBlocks.Q4Scale(block);
                    float id = d != 0 ? 1f / d : 0f;
                    Scales[(row * blocks) + b] = d;
                    byte* packed = Q4 + (row * Cols / 2) + (b * 16);
                    for (int i = 0; i < 16; i++)
                    {
                        packed[i] = (byte)(GgmlBlocks.Q4Nibble(block[i], id) | (GgmlBlocks.Q4Nibble(block[i + 16], id) << 4));
                    }
                }

                break;
        }
    }
}
