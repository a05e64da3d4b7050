using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nlps.Hardware.Gpu;

/// <summary>The few NVML entry points we use (nvml.h, API v2+). Every call returns an nvmlReturn_t; 0 is success.</summary>
internal static partial class NvmlNative
{
    public const string Library = "libnvidia-ml.so.1";
    public const int Success = 0;
    public const int BufferSize = 96;

    [LibraryImport(Library, EntryPoint = "nvmlInit_v2")]
    public static partial int Init();

    [LibraryImport(Library, EntryPoint = "nvmlShutdown")]
    public static partial int Shutdown();

    [LibraryImport(Library, EntryPoint = "nvmlSystemGetDriverVersion")]
    public static partial int SystemGetDriverVersion([Out] byte[] version, uint length);

    [LibraryImport(Library, EntryPoint = "nvmlSystemGetCudaDriverVersion_v2")]
    public static partial int SystemGetCudaDriverVersion(out int version);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetCount_v2")]
    public static partial int DeviceGetCount(out uint count);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    public static partial int DeviceGetHandleByIndex(uint index, out IntPtr device);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetName")]
    public static partial int DeviceGetName(IntPtr device, [Out] byte[] name, uint length);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetUUID")]
    public static partial int DeviceGetUuid(IntPtr device, [Out] byte[] uuid, uint length);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMemoryInfo")]
    public static partial int DeviceGetMemoryInfo(IntPtr device, out Memory memory);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetCudaComputeCapability")]
    public static partial int DeviceGetCudaComputeCapability(IntPtr device, out int major, out int minor);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetPciInfo_v3")]
    public static partial int DeviceGetPciInfo(IntPtr device, out PciInfo pci);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetUtilizationRates")]
    public static partial int DeviceGetUtilizationRates(IntPtr device, out Utilization utilization);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetTemperature")]
    public static partial int DeviceGetTemperature(IntPtr device, int sensor, out uint celsius);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetPowerUsage")]
    public static partial int DeviceGetPowerUsage(IntPtr device, out uint milliwatts);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMigMode")]
    public static partial int DeviceGetMigMode(IntPtr device, out uint current, out uint pending);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMaxMigDeviceCount")]
    public static partial int DeviceGetMaxMigDeviceCount(IntPtr device, out uint count);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMigDeviceHandleByIndex")]
    public static partial int DeviceGetMigDeviceHandleByIndex(IntPtr device, uint index, out IntPtr migDevice);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetGpuInstanceId")]
    public static partial int DeviceGetGpuInstanceId(IntPtr device, out uint id);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetComputeInstanceId")]
    public static partial int DeviceGetComputeInstanceId(IntPtr device, out uint id);

    /// <summary>nvmlMemory_t: bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Memory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    /// <summary>nvmlUtilization_t: percent over the last sample period.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Utilization
    {
        public uint Gpu;
        public uint Memory;
    }

    /// <summary>nvmlPciInfo_t (v3): legacy bus id, domain/bus/device, ids, then the 32-byte bus id string.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PciInfo
    {
        public Chars16 BusIdLegacy;
        public uint Domain;
        public uint Bus;
        public uint Device;
        public uint PciDeviceId;
        public uint PciSubSystemId;
        public Chars32 BusId;
    }

    [InlineArray(16)]
    public struct Chars16
    {
        private byte _element;
    }

    [InlineArray(32)]
    public struct Chars32
    {
        private byte _element;
    }
}
