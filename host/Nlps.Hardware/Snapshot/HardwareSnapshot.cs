using Nlps.Hardware.Cpu;
using Nlps.Hardware.Disks;
using Nlps.Hardware.Gpu;
using Nlps.Hardware.Memory;

namespace Nlps.Hardware.Snapshot;

/// <summary>What the box is, at one moment.</summary>
/// <param name="Simulated">True when the CPU, RAM and GPU figures were replayed from a fixture folder, not read from this machine.</param>
/// <param name="SimulatedFrom">The fixture folder when simulated.</param>
/// <param name="Disk">The state folder's file system (always the real one, also when simulated).</param>
public sealed record HardwareSnapshot(
    DateTimeOffset TakenAt,
    bool Simulated,
    string? SimulatedFrom,
    CpuInfo Cpu,
    MemoryInfo Memory,
    DiskInfo? Disk,
    GpuInventory Gpus);
