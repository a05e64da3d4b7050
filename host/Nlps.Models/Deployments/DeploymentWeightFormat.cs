using Nlps.Inference.Tensors;
using Nlps.Models.Estimation;

namespace Nlps.Models.Deployments;

/// <summary>The <c>WeightFormat</c> values a deployment accepts, and what each costs for the memory estimate.</summary>
public static class DeploymentWeightFormat
{
    public const string Names = "auto, f32, bf16, int8, int4";

    public static bool TryParse(string? text, out WeightFormat format)
    {
        format = WeightFormat.Auto;
        switch (text?.Trim().ToUpperInvariant())
        {
            case null or "" or "AUTO":
                return true;
            case "F32":
                format = WeightFormat.F32;
                return true;
            case "BF16":
                format = WeightFormat.BF16;
                return true;
            case "INT8" or "Q8_0":
                format = WeightFormat.Int8;
                return true;
            case "INT4" or "Q4_0":
                format = WeightFormat.Int4;
                return true;
            default:
                return false;
        }
    }

    /// <summary>How the estimator counts the weights: auto keeps bf16 as bf16 and widens f16 and f32 sources to f32.</summary>
    public static QuantizationMode ToQuantization(WeightFormat format, string? checkpointDtype) => format switch
    {
        WeightFormat.F32 => QuantizationMode.Fp32,
        WeightFormat.BF16 => QuantizationMode.Bf16,

        // The estimator's int8 (1 B/weight + a scale per row) is within 12% of the engine's 1.125 B/weight (an f32 scale per 32).
        WeightFormat.Int8 => QuantizationMode.Int8,

        // The estimator's int4 is AWQ-shaped (0.52 B/weight); CPU deployments pass the engine's exact bytes (CpuWeightBytes).
        WeightFormat.Int4 => QuantizationMode.Int4,
        _ => checkpointDtype is "bfloat16" or "BF16" ? QuantizationMode.Bf16 : QuantizationMode.Fp32,
    };
}
