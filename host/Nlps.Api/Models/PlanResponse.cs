using Nlps.Models.Planning;

namespace Nlps.Api.Models;

/// <summary>A what-if answer: each deployment's placement or refusal (bytes per device, by cause) and the devices' totals. Nothing is loaded.</summary>
/// <param name="Simulated">True when the devices come from a recorded box, not this machine.</param>
/// <param name="SimulatedFrom">The recorded box's folder when simulated.</param>
/// <param name="HardwareTakenAt">When the snapshot planned on was taken.</param>
/// <param name="GpuReserveBytes">Bytes kept free on every GPU, on top of each placement.</param>
/// <param name="Outcomes">One per deployment, in request order.</param>
/// <param name="Devices">Each device's free bytes, reserve and planned bytes.</param>
/// <param name="Available">The devices planned on, with the bytes free on each before the plan.</param>
public sealed record PlanResponse(
    bool Simulated,
    string? SimulatedFrom,
    DateTimeOffset HardwareTakenAt,
    long GpuReserveBytes,
    IReadOnlyList<PlanDevice> Available,
    IReadOnlyList<PlanOutcome> Outcomes,
    IReadOnlyList<DeviceUsage> Devices);
