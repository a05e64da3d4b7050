using Nlps.Hardware.Gpu;
using Nlps.Hardware.Snapshot;

namespace Nlps.Models.Planning;

/// <summary>Turns a hardware snapshot into planner devices: whole GPUs ("gpu0"), MIG slices ("gpu0/mig1.0") and the CPU ("cpu").</summary>
public static class PlanDevices
{
    public static IReadOnlyList<PlanDevice> FromSnapshot(HardwareSnapshot snapshot, bool includeCpu = true)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var devices = new List<PlanDevice>();
        foreach (GpuDevice gpu in snapshot.Gpus.Devices.OrderBy(g => g.Index))
        {
            if (gpu.MigEnabled)
            {
                // A GPU in MIG mode runs work only inside its instances; with none created it offers nothing.
                devices.AddRange(gpu.MigInstances.Select(m => new PlanDevice(
                    $"gpu{gpu.Index}/mig{m.GpuInstanceId}.{m.ComputeInstanceId}", gpu.Name, DeviceKind.MigSlice, m.FreeBytes)));
                continue;
            }

            // Plan on free memory; a board that does not report it falls back to total minus used, then total.
            long available = gpu.FreeBytes ?? (gpu.TotalBytes - (gpu.UsedBytes ?? 0));
            devices.Add(new PlanDevice($"gpu{gpu.Index}", gpu.Name, DeviceKind.Gpu, available));
        }

        if (includeCpu)
        {
            devices.Add(new PlanDevice("cpu", snapshot.Cpu.Model, DeviceKind.Cpu, snapshot.Memory.AvailableBytes));
        }

        return devices;
    }
}
