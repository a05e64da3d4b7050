namespace Nlps.Models.Estimation;

/// <summary>Every weight tensor of a model, with where the list came from ("config.json" or "safetensors").</summary>
public sealed record WeightInventory(IReadOnlyList<TensorSpec> Tensors, string Source)
{
    public long ParameterCount => Tensors.Sum(t => t.Elements);
}
