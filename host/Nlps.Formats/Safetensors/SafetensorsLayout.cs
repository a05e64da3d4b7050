namespace Nlps.Formats.Safetensors;

/// <summary>A checked safetensors file: where its data section starts in the file, and its tensors (offsets relative to that start).</summary>
public sealed record SafetensorsLayout(string Path, long DataStart, IReadOnlyList<SafetensorsTensor> Tensors);
