using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nlps.Hardware.Commands;
using Nlps.Hardware.Cpu;
using Nlps.Hardware.Disks;
using Nlps.Hardware.Gpu;
using Nlps.Hardware.Memory;

namespace Nlps.Hardware.Snapshot;

/// <summary>Takes one hardware snapshot: CPU, RAM, the state folder's disk, and GPUs from NVML, else nvidia-smi, else none.</summary>
public sealed partial class HardwareProbe
{
    private readonly HardwareOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ICommandRunner _runner;
    private readonly IGpuDetector? _nvml;

    public HardwareProbe(
        IOptions<HardwareOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<HardwareProbe>? logger = null,
        ICommandRunner? runner = null,
        IGpuDetector? nvml = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<HardwareProbe>.Instance;
        bool simulated = _options.SimulatedBoxFolder is not null;
        _runner = simulated ? new FixtureCommandRunner(_options.SimulatedBoxFolder!) : runner ?? new ProcessCommandRunner();
        _nvml = simulated || !_options.UseNvml ? null : nvml ?? new NvmlGpuDetector();
    }

    public async Task<HardwareSnapshot> CaptureAsync(CancellationToken cancellationToken)
    {
        string? box = _options.SimulatedBoxFolder;
        string root = box ?? _options.ProcRoot;
        CpuInfo cpu = await new CpuInfoReader(root).ReadAsync(cancellationToken).ConfigureAwait(false);
        MemoryInfo memory = await new MemInfoReader(root).ReadAsync(cancellationToken).ConfigureAwait(false);
        DiskInfo? disk = ReadDisk();
        GpuInventory gpus = await DetectGpusAsync(cancellationToken).ConfigureAwait(false);
        return new HardwareSnapshot(_timeProvider.GetUtcNow(), box is not null, box, cpu, memory, disk, gpus);
    }

    private DiskInfo? ReadDisk()
    {
        try
        {
            return DiskSpaceReader.Read(_options.StateFolder);
        }
        catch (IOException ex)
        {
            Log.DiskUnreadable(_logger, _options.StateFolder, ex);
            return null;
        }
    }

    private async Task<GpuInventory> DetectGpusAsync(CancellationToken cancellationToken)
    {
        IGpuDetector[] detectors = _nvml is null
            ? [new NvidiaSmiGpuDetector(_runner, _options.NvidiaSmiPath)]
            : [_nvml, new NvidiaSmiGpuDetector(_runner, _options.NvidiaSmiPath)];
        GpuInventory? failed = null;
        foreach (IGpuDetector detector in detectors)
        {
            GpuInventory? inventory;
            try
            {
                inventory = await detector.DetectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HardwareFormatException ex)
            {
                Log.GpuOutputUnreadable(_logger, ex.Message);
                inventory = GpuInventory.Empty(ex.Message);
            }

            if (inventory is null)
            {
                continue;
            }

            if (inventory.Problem is null)
            {
                return inventory;
            }

            // Keep the first failure's reason but still let the next source try: NVML may fail where nvidia-smi works.
            failed ??= inventory;
        }

        if (failed is not null)
        {
            Log.GpuDetectionFailed(_logger, failed.Problem!);
        }

        return failed ?? GpuInventory.Empty(problem: null);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, EventName = "DiskUnreadable", Level = LogLevel.Warning,
            Message = "Cannot read disk space for {Folder}")]
        public static partial void DiskUnreadable(ILogger logger, string folder, Exception exception);

        [LoggerMessage(EventId = 1002, EventName = "GpuOutputUnreadable", Level = LogLevel.Error,
            Message = "GPU detection output is not understood: {Problem}")]
        public static partial void GpuOutputUnreadable(ILogger logger, string problem);

        [LoggerMessage(EventId = 1003, EventName = "GpuDetectionFailed", Level = LogLevel.Warning,
            Message = "No GPUs usable: {Problem}")]
        public static partial void GpuDetectionFailed(ILogger logger, string problem);
    }
}
