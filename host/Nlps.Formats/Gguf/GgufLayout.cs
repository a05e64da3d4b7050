namespace Nlps.Formats.Gguf;

/// <summary>What a checked GGUF header says: metadata, tensors and where the data section starts in the file.</summary>
public sealed record GgufLayout(string Path, uint Version, GgufMetadata Metadata, IReadOnlyList<GgufTensorInfo> Tensors, int Alignment, long DataStart, long FileLength);
