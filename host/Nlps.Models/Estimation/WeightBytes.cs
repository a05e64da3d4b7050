namespace Nlps.Models.Estimation;

/// <summary>Exact bytes of a weight inventory under a quantisation mode, in total or on one tensor-parallel rank.</summary>
public static class WeightBytes
{
    public const int Int4GroupSize = 128;

    /// <summary>Vocabulary-parallel embeddings pad the vocabulary to a multiple of this before splitting (vLLM).</summary>
    public const int VocabPadding = 64;

    public static long Total(WeightInventory inventory, QuantizationMode mode) => PerRank(inventory, mode, 1);

    /// <summary>Bytes one rank holds when the model is split <paramref name="tensorParallel"/> ways.</summary>
    public static long PerRank(WeightInventory inventory, QuantizationMode mode, int tensorParallel)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentOutOfRangeException.ThrowIfLessThan(tensorParallel, 1);
        long total = 0;
        foreach (TensorSpec t in inventory.Tensors)
        {
            (long rows, long cols) = RankShape(t, tensorParallel);
            long one = t.IsLinear ? Linear(mode, rows, cols) : checked(rows * cols * (mode == QuantizationMode.Fp32 ? 4 : 2));
            total = checked(total + (one * t.Count));
        }

        return total;
    }

    /// <summary>Bytes of one linear weight [rows = outputs, cols = inputs].</summary>
    public static long Linear(QuantizationMode mode, long rows, long cols)
    {
        long n = checked(rows * cols);
        switch (mode)
        {
            case QuantizationMode.Fp32:
                return n * 4;
            case QuantizationMode.Bf16:
            case QuantizationMode.Fp16:
                return n * 2;
            case QuantizationMode.Fp8:
                return n + 4;
            case QuantizationMode.Int8:
                return n + (rows * 2);
            case QuantizationMode.Int4:
                // Packed nibbles, then per group of 128 inputs and per output row: a bf16 scale and a 4-bit zero point.
                long groups = (cols + Int4GroupSize - 1) / Int4GroupSize * rows;
                return ((n + 1) / 2) + (groups * 2) + ((groups + 1) / 2);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }
    }

    private static (long Rows, long Cols) RankShape(TensorSpec t, int tp)
    {
        if (tp == 1)
        {
            return (t.Rows, t.Cols);
        }

        return t.Role switch
        {
            TensorRole.ColumnLinear or TensorRole.ColumnBias => (CeilDiv(t.Rows, tp), t.Cols),
            TensorRole.RowLinear => (t.Rows, CeilDiv(t.Cols, tp)),
            TensorRole.VocabEmbedding => (CeilDiv(CeilDiv(t.Rows, VocabPadding) * VocabPadding, tp), t.Cols),
            _ => (t.Rows, t.Cols),
        };
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
