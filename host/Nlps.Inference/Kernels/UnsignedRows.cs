using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Int8 and int4 weight rows (Q8_0/Q6_K values, Q4_0/Q4_K nibbles) as the unsigned bytes <c>vpdpbusd</c> takes: an int8
/// value + 128, or the nibble itself; the integer kernels take the bias back through the activation sums.
/// </summary>
internal readonly unsafe struct UnsignedRows
{
    public UnsignedRows(WeightMatrix w)
    {
        Int8 = w.Type is ElementType.Int8 or ElementType.Int8Block16;
        Data = Int8 ? (byte*)w.Q8 : w.Q4;
        RowBytes = Int8 ? w.Cols : w.Cols / 2;
        BlockBytes = Int8 ? QuantizedDot.Block : QuantizedDot.Block / 2;
    }

    /// <summary>Whether the rows hold int8 values (else packed nibbles).</summary>
    public bool Int8 { get; }

    /// <summary>Stored bytes of one block of 32 values.</summary>
    public int BlockBytes { get; }

    private byte* Data { get; }

    private long RowBytes { get; }

    /// <summary>The stored bytes of row <paramref name="row"/> from block <paramref name="firstBlock"/> on.</summary>
    public byte* Row(int row, int firstBlock = 0) => Data + (row * RowBytes) + ((long)firstBlock * BlockBytes);

    /// <summary>One stored block (at <paramref name="block"/>) as 32 unsigned bytes in column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Block(byte* block, bool int8)
    {
        if (int8)
        {
            return Vector256.Load(block) ^ Vector256.Create((byte)0x80);
        }

        Vector128<byte> bytes = Vector128.Load(block);
        return Vector256.Create(bytes & Vector128.Create((byte)0x0F), Vector128.ShiftRightLogical(bytes, 4));
    }
}
