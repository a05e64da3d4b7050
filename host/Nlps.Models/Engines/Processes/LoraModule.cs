namespace Nlps.Models.Engines.Processes;

/// <summary>A LoRA adapter served on a base model under its own <c>model</c> name.</summary>
public sealed record LoraModule(string Name, string Path);
