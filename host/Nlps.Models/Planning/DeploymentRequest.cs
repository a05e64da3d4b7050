using Nlps.Models.Estimation;

namespace Nlps.Models.Planning;

/// <summary>A model someone wants served, and how.</summary>
/// <param name="AllowedDevices">Device ids it may use; null for any.</param>
/// <param name="AllowCpu">Whether the built-in CPU engine may take it when no GPU can.</param>
public sealed record DeploymentRequest(
    string Id,
    ModelProfile Model,
    WorkloadShape Workload,
    bool Pinned = false,
    bool AllowTensorParallel = true,
    IReadOnlyList<string>? AllowedDevices = null,
    bool AllowCpu = false);
