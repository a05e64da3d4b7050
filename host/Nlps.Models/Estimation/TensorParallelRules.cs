namespace Nlps.Models.Estimation;

/// <summary>Whether a model can be split a given number of ways; the reason when not.</summary>
public static class TensorParallelRules
{
    public static readonly IReadOnlyList<int> Degrees = [1, 2, 4, 8];

    /// <summary>Null when <paramref name="tensorParallel"/> is valid, else why not.</summary>
    public static string? Check(ModelArchitecture architecture, QuantizationMode mode, int tensorParallel)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (tensorParallel == 1)
        {
            return mode == QuantizationMode.Int4 && architecture.HiddenSize % WeightBytes.Int4GroupSize != 0
                ? $"int4 needs hidden size {architecture.HiddenSize} to be a multiple of {WeightBytes.Int4GroupSize}"
                : null;
        }

        if (architecture.Family != ModelFamily.Decoder)
        {
            return $"{architecture.ModelType} models are not split across devices";
        }

        if (architecture.Heads % tensorParallel != 0)
        {
            return $"tensor parallelism {tensorParallel} does not divide {architecture.Heads} attention heads";
        }

        if (architecture.KvHeads % tensorParallel != 0 && tensorParallel % architecture.KvHeads != 0)
        {
            return $"tensor parallelism {tensorParallel} neither divides nor is a multiple of {architecture.KvHeads} KV heads";
        }

        if (mode == QuantizationMode.Int4)
        {
            // Row-parallel layers split their inputs; each rank's slice must hold whole 128-wide groups.
            long attention = (long)architecture.Heads * architecture.HeadDim / tensorParallel;
            long mlp = architecture.IntermediateSize / tensorParallel;
            foreach (long width in new[] { attention, mlp })
            {
                if (width % WeightBytes.Int4GroupSize != 0)
                {
                    return $"int4 at tensor parallelism {tensorParallel} leaves {width} inputs per rank, not a multiple of {WeightBytes.Int4GroupSize}";
                }
            }
        }

        return Check(architecture, mode, 1);
    }
}
