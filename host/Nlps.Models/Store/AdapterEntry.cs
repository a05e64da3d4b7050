namespace Nlps.Models.Store;

/// <summary>A LoRA adapter stored under <c>adapters/&lt;name&gt;/</c> of its base model, from its adapter_config.json.</summary>
/// <param name="BaseModel">"base_model_name_or_path" as the adapter's author wrote it; informational.</param>
public sealed record AdapterEntry(string Name, int Rank, double? Alpha, IReadOnlyList<string> TargetModules, string? BaseModel, long WeightBytes);
