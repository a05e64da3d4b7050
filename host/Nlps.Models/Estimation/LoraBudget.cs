namespace Nlps.Models.Estimation;

/// <summary>Room reserved for LoRA adapters on top of a shared base: <paramref name="MaxAdapters"/> slots of up to <paramref name="MaxRank"/>, as vLLM pre-allocates them.</summary>
/// <param name="LoadedBytes">
/// The exact bytes of the adapters a deployment loads when they are known (the CPU engine: every A and B matrix in f32);
/// used instead of the slot formula.
/// </param>
public sealed record LoraBudget(int MaxAdapters, int MaxRank, long? LoadedBytes = null)
{
    /// <summary>
    /// bf16 A and B matrices on every linear layer: rank × (inputs + outputs) × 2 B per slot
    /// (80 MiB for rank 16 on Llama-3.1-8B). Kept whole on every rank, which over-counts a little under tensor parallelism.
    /// </summary>
    public long Bytes(WeightInventory weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (LoadedBytes is long loaded)
        {
            return loaded;
        }

        long perRank = weights.Tensors.Where(t => t.IsLinear).Sum(t => checked((t.Rows + t.Cols) * t.Count));
        return checked(perRank * MaxRank * 2 * MaxAdapters);
    }
}
