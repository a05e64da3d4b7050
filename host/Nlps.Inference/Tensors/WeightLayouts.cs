namespace Nlps.Inference.Tensors;

/// <summary>
/// Which in-memory layout the CPU engine gives a weight matrix for a <see cref="WeightFormat"/> and a checkpoint dtype,
/// and what it costs: one rule shared by the loader and by memory estimates, so an estimate counts the bytes a load
/// really takes.
/// </summary>
public static class WeightLayouts
{
    /// <summary>Bytes of a [<paramref name="rows"/>, <paramref name="cols"/>] matrix of <paramref name="sourceDtype"/> loaded as <paramref name="format"/>.</summary>
    public static long MatrixBytes(WeightFormat format, string sourceDtype, long rows, long cols) => WeightMatrix.SizeOf(Of(format, sourceDtype), rows, cols);

    /// <summary>
    /// Bytes of a [<paramref name="rows"/>, <paramref name="cols"/>] f32 matrix packed for the GEMM with its bias, as
    /// <see cref="PackedMatrix"/> holds them: both padded to whole panels of <see cref="Kernels.PackedGemm.Width"/> rows.
    /// </summary>
    public static long PackedMatrixBytes(int rows, int cols)
    {
        long padded = (long)Kernels.PackedGemm.Panels(rows) * Kernels.PackedGemm.Width;
        return ((padded * cols) + padded) * sizeof(float);
    }

    internal static ElementType Of(WeightFormat format, string sourceDtype) => format switch
    {
        WeightFormat.F32 => ElementType.F32,
        WeightFormat.BF16 => ElementType.BF16,
        WeightFormat.Int8 => ElementType.Int8,
        WeightFormat.Int4 => ElementType.Int4,
        _ => sourceDtype switch
        {
            "BF16" => ElementType.BF16,
            "Q8_0" => ElementType.Int8,
            "Q4_0" => ElementType.Int4,
            "Q6_K" => ElementType.Int8Block16,
            "Q4_K" => ElementType.Int4Min,
            _ => ElementType.F32,
        },
    };
}
