using Nlps.Models.Estimation;

namespace Nlps.Models.Store;

/// <summary>A source folder that passed the checks: its architecture, exact weights, adapters and the files to copy.</summary>
internal sealed record SourceModel(
    ModelArchitecture Architecture,
    WeightInventory Weights,
    long WeightDataBytes,
    string? Dtype,
    IReadOnlyList<AdapterEntry> Adapters,
    IReadOnlyList<SourceFile> Files,
    IReadOnlyList<string> Skipped);
