using Nlps.Inference.Gguf;
using Nlps.Inference.Tensors;
using Nlps.Models.Estimation;

namespace Nlps.Models.Deployments;

/// <summary>
/// The CPU engine's exact weight bytes where <see cref="QuantizationMode"/> arithmetic would miss them: a GGUF file
/// (each matrix in the layout its type loads into: Q8_0 as int8, Q4_K as int4 with mins, F16 widened to f32, …) and
/// int4 (Q4_0-style blocks of 32 with f32 scales, 0.625 B/weight, not the estimator's AWQ groups). Null elsewhere.
/// </summary>
internal static class CpuWeightBytes
{
    public static long? Exact(string loadPath, WeightInventory weights, WeightFormat format)
    {
        if (loadPath.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            return GgufModelSummary.Read(loadPath).ResidentBytes(format);
        }

        if (format != WeightFormat.Int4)
        {
            return null;
        }

        // Every matrix (embedding and head included) is int4 in the engine; vectors are f32.
        return weights.Tensors.Sum(t => t.IsLinear || t.Role == TensorRole.VocabEmbedding
            ? WeightLayouts.MatrixBytes(format, "F32", t.Rows, t.Cols) * t.Count
            : t.Elements * 4);
    }
}
