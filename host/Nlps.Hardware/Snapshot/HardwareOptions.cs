namespace Nlps.Hardware.Snapshot;

/// <summary>Configuration section "Hardware".</summary>
public sealed class HardwareOptions
{
    public const string SectionName = "Hardware";

    /// <summary>Root below which proc/cpuinfo and proc/meminfo are read. Default "/".</summary>
    public string ProcRoot { get; set; } = "/";

    /// <summary>The folder whose disk space is reported (the state folder). Default "/var/lib/nlps".</summary>
    public string StateFolder { get; set; } = "/var/lib/nlps";

    /// <summary>
    /// A fixture folder (proc/cpuinfo, proc/meminfo, nvidia-smi-query.csv, nvidia-smi.txt) to present instead of this machine.
    /// The snapshot is then marked simulated. Default: none.
    /// </summary>
    public string? SimulatedBoxFolder { get; set; }

    /// <summary>Whether to try NVML before nvidia-smi. Default true.</summary>
    public bool UseNvml { get; set; } = true;

    /// <summary>The nvidia-smi executable. Default "nvidia-smi" (from PATH).</summary>
    public string NvidiaSmiPath { get; set; } = "nvidia-smi";

    /// <summary>How often live values (free memory, utilisation, temperature) are refreshed. Default 10 s.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
}
