namespace Nlps.Models.Store;

/// <summary>A LoRA adapter stored under <c>adapters/&lt;name&gt;/</c> of its base model, from its adapter_config.json.</summary>
/// <param name="BaseModel">"base_model_name_or_path" as the adapter's author wrote it; informational.</param>
/// <param name="WeightBytes">Bytes of tensor data in its safetensors file as shipped.</param>
/// <param name="UseRsLora">rsLoRA: the scale is alpha / √r instead of alpha / r.</param>
/// <param name="Parameters">Elements of every A and B matrix together (what the engine holds per adapter).</param>
public sealed record AdapterEntry(
    string Name,
    int Rank,
    double? Alpha,
    IReadOnlyList<string> TargetModules,
    string? BaseModel,
    long WeightBytes,
    bool UseRsLora = false,
    long Parameters = 0);
