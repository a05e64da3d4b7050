using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Nlps.Hardware.Snapshot;

/// <summary>Keeps <see cref="Current"/> fresh: one snapshot at start, then one every <see cref="HardwareOptions.RefreshInterval"/>.</summary>
public sealed partial class HardwareMonitor : BackgroundService, IHardwareSnapshotSource
{
    private readonly HardwareProbe _probe;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private HardwareSnapshot? _current;

    public HardwareMonitor(
        HardwareProbe probe,
        IOptions<HardwareOptions> options,
        TimeProvider? timeProvider = null,
        ILogger<HardwareMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(options);
        _probe = probe;
        _interval = options.Value.RefreshInterval;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<HardwareMonitor>.Instance;
    }

    public HardwareSnapshot? Current => Volatile.Read(ref _current);

    public async Task<HardwareSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        HardwareSnapshot snapshot = await _probe.CaptureAsync(cancellationToken).ConfigureAwait(false);
        HardwareSnapshot? previous = Interlocked.Exchange(ref _current, snapshot);
        if (previous is null || previous.Gpus.Devices.Count != snapshot.Gpus.Devices.Count)
        {
            Log.Detected(_logger, snapshot.Gpus.Devices.Count, snapshot.Gpus.Source.ToString(), snapshot.Simulated);
        }

        return snapshot;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _timeProvider);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HardwareFormatException)
            {
                // A failed refresh keeps the previous snapshot; the loop must outlive a transient read error.
                Log.RefreshFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1010, EventName = "HardwareDetected", Level = LogLevel.Information,
            Message = "Hardware: {GpuCount} GPU(s) via {Source}, simulated: {Simulated}")]
        public static partial void Detected(ILogger logger, int gpuCount, string source, bool simulated);

        [LoggerMessage(EventId = 1011, EventName = "HardwareRefreshFailed", Level = LogLevel.Warning,
            Message = "Hardware refresh failed; keeping the previous snapshot")]
        public static partial void RefreshFailed(ILogger logger, Exception exception);
    }
}
