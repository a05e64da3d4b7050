namespace Nlps.Models.Store;

/// <summary>
/// What the store knows about one model, written as <c>nlps-manifest.json</c> in its folder: identity, shape figures
/// for listings and planning, and every file with its SHA-256 so the copy can be verified at any time.
/// </summary>
/// <param name="Dtype">config.json "torch_dtype", else the most common tensor dtype in the safetensors headers.</param>
/// <param name="WeightBytes">Bytes of tensor data in the safetensors files as shipped.</param>
/// <param name="TotalBytes">All files together.</param>
/// <param name="Source">The folder it was imported from.</param>
public sealed record ModelManifest(
    int FormatVersion,
    string Id,
    string ModelType,
    ModelTask Task,
    string? Dtype,
    long ParameterCount,
    long WeightBytes,
    long TotalBytes,
    DateTimeOffset ImportedAt,
    string Source,
    IReadOnlyList<ModelFileEntry> Files,
    IReadOnlyList<AdapterEntry> Adapters)
{
    public const string FileName = "nlps-manifest.json";

    public const int CurrentFormat = 1;
}
