using Microsoft.Extensions.Options;
using Nlps.Hardware.Commands;
using Nlps.Hardware.Gpu;
using Nlps.Hardware.Snapshot;

namespace Nlps.Hardware.Tests.Snapshot;

public sealed class HardwareProbeTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 10, 12, 1, TimeSpan.Zero);

    [Fact]
    public async Task Simulated_box_is_marked_and_replays_its_gpus()
    {
        var options = new HardwareOptions { SimulatedBoxFolder = FixtureBox.Folder("l40s-4x"), StateFolder = Path.GetTempPath() };
        var probe = new HardwareProbe(Options.Create(options), new FixedTimeProvider(Now));

        HardwareSnapshot snapshot = await probe.CaptureAsync(CancellationToken.None);

        Assert.True(snapshot.Simulated);
        Assert.Equal(options.SimulatedBoxFolder, snapshot.SimulatedFrom);
        Assert.Equal(Now, snapshot.TakenAt);
        Assert.Equal(4, snapshot.Gpus.Devices.Count);
        Assert.Equal(128, snapshot.Cpu.Threads);
        Assert.NotNull(snapshot.Disk);
        Assert.True(snapshot.Disk.TotalBytes > 0);
    }

    [Fact]
    public async Task Falls_back_from_an_absent_nvml_to_nvidia_smi()
    {
        var probe = new HardwareProbe(
            Options.Create(new HardwareOptions { ProcRoot = FixtureBox.Folder("h100-1x"), StateFolder = Path.GetTempPath() }),
            runner: new FixtureCommandRunner(FixtureBox.Folder("h100-1x")),
            nvml: new AbsentDetector());

        HardwareSnapshot snapshot = await probe.CaptureAsync(CancellationToken.None);

        Assert.False(snapshot.Simulated);
        Assert.Equal(GpuSource.NvidiaSmi, snapshot.Gpus.Source);
        Assert.Single(snapshot.Gpus.Devices);
    }

    [Fact]
    public async Task Unreadable_nvidia_smi_output_is_reported_not_thrown()
    {
        string folder = Directory.CreateTempSubdirectory("nlps-hw-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "nvidia-smi-query.csv"), "0, NVIDIA L40S, GPU-1, 46068\n");
            var probe = new HardwareProbe(
                Options.Create(new HardwareOptions { ProcRoot = FixtureBox.Folder("l40s-4x"), StateFolder = folder }),
                runner: new FixtureCommandRunner(folder),
                nvml: new AbsentDetector());

            HardwareSnapshot snapshot = await probe.CaptureAsync(CancellationToken.None);

            Assert.Empty(snapshot.Gpus.Devices);
            Assert.Contains("has 4 columns, expected 12", snapshot.Gpus.Problem, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Cpu_only_box_has_no_gpus_and_no_problem()
    {
        var options = new HardwareOptions { SimulatedBoxFolder = FixtureBox.Folder("cpu-only"), StateFolder = Path.GetTempPath() };

        HardwareSnapshot snapshot = await new HardwareProbe(Options.Create(options)).CaptureAsync(CancellationToken.None);

        Assert.Equal(GpuSource.None, snapshot.Gpus.Source);
        Assert.Empty(snapshot.Gpus.Devices);
        Assert.Null(snapshot.Gpus.Problem);
    }

    [Fact]
    public async Task Monitor_refresh_makes_the_snapshot_current()
    {
        var options = Options.Create(new HardwareOptions { SimulatedBoxFolder = FixtureBox.Folder("mixed"), StateFolder = Path.GetTempPath() });
        using var monitor = new HardwareMonitor(new HardwareProbe(options), options);

        Assert.Null(monitor.Current);
        HardwareSnapshot snapshot = await monitor.RefreshAsync(CancellationToken.None);

        Assert.Same(snapshot, monitor.Current);
    }

    [Fact]
    public void Validator_names_the_bad_key()
    {
        var result = new HardwareOptionsValidator().Validate(null, new HardwareOptions { RefreshInterval = TimeSpan.Zero, SimulatedBoxFolder = "/nonexistent" });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Hardware:RefreshInterval", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Hardware:SimulatedBoxFolder", StringComparison.Ordinal));
    }

    private sealed class AbsentDetector : IGpuDetector
    {
        public Task<GpuInventory?> DetectAsync(CancellationToken cancellationToken) => Task.FromResult<GpuInventory?>(null);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
