using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Nlps.Hardware.Gpu;

/// <summary>
/// Lists GPUs through NVML. Returns null when libnvidia-ml.so.1 cannot be loaded (no driver installed),
/// and an empty inventory with the NVML error code when the library loads but initialisation fails.
/// </summary>
public sealed class NvmlGpuDetector : IGpuDetector
{
    private const int TemperatureGpuSensor = 0;
    private const uint MigModeEnabled = 1;

    public Task<GpuInventory?> DetectAsync(CancellationToken cancellationToken)
    {
        if (!NativeLibrary.TryLoad(NvmlNative.Library, out IntPtr handle))
        {
            return Task.FromResult<GpuInventory?>(null);
        }

        NativeLibrary.Free(handle);
        try
        {
            return Task.FromResult<GpuInventory?>(Detect());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return Task.FromResult<GpuInventory?>(null);
        }
    }

    private static GpuInventory Detect()
    {
        int init = NvmlNative.Init();
        if (init != NvmlNative.Success)
        {
            return GpuInventory.Empty($"nvmlInit failed with NVML error {init}");
        }

        try
        {
            string? driver = ReadString((b, n) => NvmlNative.SystemGetDriverVersion(b, n));
            string? cuda = NvmlNative.SystemGetCudaDriverVersion(out int cudaVersion) == NvmlNative.Success
                ? string.Create(CultureInfo.InvariantCulture, $"{cudaVersion / 1000}.{cudaVersion % 1000 / 10}")
                : null;
            if (NvmlNative.DeviceGetCount(out uint count) != NvmlNative.Success)
            {
                return GpuInventory.Empty("nvmlDeviceGetCount failed");
            }

            var devices = new List<GpuDevice>((int)count);
            for (uint i = 0; i < count; i++)
            {
                int status = NvmlNative.DeviceGetHandleByIndex(i, out IntPtr device);
                if (status != NvmlNative.Success)
                {
                    return GpuInventory.Empty($"nvmlDeviceGetHandleByIndex({i}) failed with NVML error {status}");
                }

                devices.Add(ReadDevice((int)i, device));
            }

            return new GpuInventory(GpuSource.Nvml, devices, driver, cuda, Problem: null);
        }
        finally
        {
            _ = NvmlNative.Shutdown();
        }
    }

    private static GpuDevice ReadDevice(int index, IntPtr device)
    {
        string name = ReadString((b, n) => NvmlNative.DeviceGetName(device, b, n)) ?? "unknown";
        string uuid = ReadString((b, n) => NvmlNative.DeviceGetUuid(device, b, n)) ?? string.Empty;
        bool hasMemory = NvmlNative.DeviceGetMemoryInfo(device, out NvmlNative.Memory memory) == NvmlNative.Success;
        string? capability = NvmlNative.DeviceGetCudaComputeCapability(device, out int major, out int minor) == NvmlNative.Success
            ? string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}")
            : null;
        string? bus = NvmlNative.DeviceGetPciInfo(device, out NvmlNative.PciInfo pci) == NvmlNative.Success
            ? Decode(pci.BusId)
            : null;
        int? utilization = NvmlNative.DeviceGetUtilizationRates(device, out NvmlNative.Utilization u) == NvmlNative.Success
            ? (int)u.Gpu
            : null;
        int? temperature = NvmlNative.DeviceGetTemperature(device, TemperatureGpuSensor, out uint celsius) == NvmlNative.Success
            ? (int)celsius
            : null;
        double? power = NvmlNative.DeviceGetPowerUsage(device, out uint milliwatts) == NvmlNative.Success
            ? milliwatts / 1000.0
            : null;
        bool mig = NvmlNative.DeviceGetMigMode(device, out uint current, out _) == NvmlNative.Success && current == MigModeEnabled;
        return new GpuDevice(
            index, name, uuid,
            hasMemory ? (long)memory.Total : 0,
            hasMemory ? (long)memory.Used : null,
            hasMemory ? (long)memory.Free : null,
            capability, bus, utilization, temperature, power,
            mig,
            mig ? ReadMigInstances(index, device) : []);
    }

    private static List<MigInstance> ReadMigInstances(int gpuIndex, IntPtr device)
    {
        var slices = new List<MigInstance>();
        if (NvmlNative.DeviceGetMaxMigDeviceCount(device, out uint max) != NvmlNative.Success)
        {
            return slices;
        }

        for (uint i = 0; i < max; i++)
        {
            // Unpopulated slots answer NVML_ERROR_NOT_FOUND; only created instances are listed.
            if (NvmlNative.DeviceGetMigDeviceHandleByIndex(device, i, out IntPtr mig) != NvmlNative.Success
                || NvmlNative.DeviceGetMemoryInfo(mig, out NvmlNative.Memory memory) != NvmlNative.Success)
            {
                continue;
            }

            _ = NvmlNative.DeviceGetGpuInstanceId(mig, out uint gi);
            _ = NvmlNative.DeviceGetComputeInstanceId(mig, out uint ci);
            slices.Add(new MigInstance(gpuIndex, (int)gi, (int)ci, slices.Count, (long)memory.Total, (long)memory.Used));
        }

        return slices;
    }

    private static string? ReadString(Func<byte[], uint, int> call)
    {
        byte[] buffer = new byte[NvmlNative.BufferSize];
        return call(buffer, (uint)buffer.Length) == NvmlNative.Success ? Decode(buffer) : null;
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
