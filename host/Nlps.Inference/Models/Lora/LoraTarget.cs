namespace Nlps.Inference.Models.Lora;

/// <summary>The projections of a Llama-family layer a LoRA adapter may adapt.</summary>
internal enum LoraTarget
{
    Q,
    K,
    V,
    O,
    Gate,
    Up,
    Down,
}
