using System.Text.Json;
using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Systemd;

/// <summary>The unit in the repository, checked without building or installing anything.</summary>
public sealed class UnitFileTests
{
    private static readonly string UnitPath = Path.Combine(Repository.Packaging, "systemd", "nlpsd.service");
    private readonly UnitFile unit = new(File.ReadAllText(UnitPath));

    [Fact]
    public async Task Systemd_analyze_verify_passes_without_a_single_warning()
    {
        using var root = await VerificationRootAsync();
        var verify = await Command.RunAsync("systemd-analyze", "verify", $"--root={root.Path}", "nlpsd.service");
        Assert.True(verify.ExitCode == 0 && verify.StandardOutput.Length == 0 && verify.StandardError.Length == 0, verify.Output);
    }

    [Fact]
    public async Task Systemd_analyze_security_rates_the_exposure_ok_or_better()
    {
        // 0 (locked down) to 10 (unprotected); 4.0 and below is systemd's "OK". What keeps it from lower is
        // deliberate: the JIT needs W+X memory, and vLLM child processes need a normal process environment.
        using var root = await VerificationRootAsync();
        var security = await Command.RunAsync("systemd-analyze", "security", "--offline=yes", $"--root={root.Path}", "--threshold=40", "--no-pager", "nlpsd.service");
        Assert.True(security.ExitCode == 0, security.Output);
    }

    [Fact]
    public void Is_a_notify_service_that_only_the_main_process_may_notify()
    {
        Assert.Equal("notify", unit.Get("Service", "Type"));
        Assert.Equal("main", unit.Get("Service", "NotifyAccess"));
        Assert.Equal("/opt/nlps/nlpsd --config /etc/nlps/nlps.json", unit.Get("Service", "ExecStart"));
    }

    [Fact]
    public void Restarts_on_failure_and_on_watchdog_timeouts_but_not_on_a_bad_configuration()
    {
        Assert.Equal("on-failure", unit.Get("Service", "Restart"));
        Assert.NotNull(unit.Get("Service", "WatchdogSec"));
        Assert.Equal("78", unit.Get("Service", "RestartPreventExitStatus")); // nlpsd's EX_CONFIG
    }

    [Fact]
    public void Stop_timeout_leaves_room_for_the_configured_HTTP_shutdown()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Packaging, "config", "nlps.json")));
        var shutdown = TimeSpan.Parse(config.RootElement.GetProperty("Http").GetProperty("ShutdownTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var stop = Seconds(unit.Get("Service", "TimeoutStopSec")!);
        Assert.True(stop >= shutdown + TimeSpan.FromSeconds(10), $"TimeoutStopSec {stop} must exceed Http:ShutdownTimeout {shutdown} by at least 10 s");
    }

    [Fact]
    public void Runs_as_nlps_with_no_privileges()
    {
        Assert.Equal("nlps", unit.Get("Service", "User"));
        Assert.Equal(string.Empty, unit.Get("Service", "CapabilityBoundingSet"));
        Assert.Equal(string.Empty, unit.Get("Service", "AmbientCapabilities"));
        Assert.Equal("yes", unit.Get("Service", "NoNewPrivileges"));
    }

    [Fact]
    public void Sees_a_read_only_system_except_its_state()
    {
        Assert.Equal("strict", unit.Get("Service", "ProtectSystem"));
        Assert.Equal("yes", unit.Get("Service", "ProtectHome"));
        Assert.Equal("yes", unit.Get("Service", "PrivateTmp"));
        Assert.Contains("/var/lib/nlps", unit.All("Service", "ReadWritePaths"));
        Assert.Equal("nlps", unit.Get("Service", "StateDirectory"));
        Assert.Null(unit.Get("Service", "MemoryDenyWriteExecute")); // the JIT writes code
    }

    [Fact]
    public void Reaches_only_the_NVIDIA_devices_besides_the_standard_pseudo_devices()
    {
        Assert.Equal("closed", unit.Get("Service", "DevicePolicy"));
        var allowed = unit.All("Service", "DeviceAllow");
        Assert.Contains("char-nvidia-frontend rw", allowed); // /dev/nvidiactl, /dev/nvidia0..N
        Assert.Contains("char-nvidia-uvm rw", allowed); // /dev/nvidia-uvm: CUDA unified memory
        Assert.All(allowed, a => Assert.StartsWith("char-nvidia", a, StringComparison.Ordinal));
        Assert.Null(unit.Get("Service", "PrivateDevices")); // it would hide /dev/nvidia*
    }

    [Fact]
    public void Raises_the_open_file_limit()
    {
        Assert.True(int.Parse(unit.Get("Service", "LimitNOFILE")!, System.Globalization.CultureInfo.InvariantCulture) >= 65536);
    }

    [Fact]
    public void Starts_at_boot()
    {
        Assert.Equal("multi-user.target", unit.Get("Install", "WantedBy"));
    }

    private static TimeSpan Seconds(string value) =>
        TimeSpan.FromSeconds(int.Parse(value.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A root with this machine's system units, the unit under test and a stand-in for /opt/nlps/nlpsd,
    /// so verify checks the unit alone, before any package exists.</summary>
    private static async Task<TempRoot> VerificationRootAsync()
    {
        await BuildDependencies.EnsureAsync();
        var root = new TempRoot();
        var units = Path.Combine(root.Path, "usr/lib/systemd/system");
        Directory.CreateDirectory(Path.GetDirectoryName(units)!);
        (await Command.RunAsync("cp", "-r", "/usr/lib/systemd/system", units)).EnsureSuccess();
        File.Copy(UnitPath, Path.Combine(units, "nlpsd.service"), overwrite: true);
        var daemon = Path.Combine(root.Path, "opt/nlps/nlpsd");
        Directory.CreateDirectory(Path.GetDirectoryName(daemon)!);
        await File.WriteAllTextAsync(daemon, "#!/bin/sh\n");
        File.SetUnixFileMode(daemon, (UnixFileMode)0b111_101_101);
        return root;
    }

    private sealed class TempRoot : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("nlps-unit-root-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
