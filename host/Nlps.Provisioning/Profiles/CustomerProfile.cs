namespace Nlps.Provisioning.Profiles;

/// <summary>One customer's box as the vendor promised it: hardware, models, plugins, data, API keys and the administrator.</summary>
/// <param name="Source">The profile file it was read from.</param>
public sealed record CustomerProfile(
    string Source,
    CustomerInfo Customer,
    HardwareExpectation Hardware,
    IReadOnlyList<ModelSpec> Models,
    IReadOnlyList<PluginSpec> Plugins,
    IReadOnlyList<DataImportSpec> Data,
    IReadOnlyList<ApiKeySpec> ApiKeys,
    AdminSpec Admin,
    IReadOnlyList<string> TrustedKeys);

/// <param name="Id">Lower-case letters, digits and dashes; names the journal and report folder.</param>
public sealed record CustomerInfo(string Id, string Name);

/// <summary>What the box must have; absent values are not checked.</summary>
public sealed record HardwareExpectation(string? GpuModel, int? GpuCount, long? MinMemoryBytes);
