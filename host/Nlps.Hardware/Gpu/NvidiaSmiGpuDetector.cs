using Nlps.Hardware.Commands;

namespace Nlps.Hardware.Gpu;

/// <summary>Lists GPUs with nvidia-smi: the CSV query for the devices, then the plain banner for CUDA version and MIG slices.</summary>
public sealed class NvidiaSmiGpuDetector : IGpuDetector
{
    private static readonly string[] QueryArguments =
        [$"--query-gpu={NvidiaSmiQueryParser.QueryFields}", "--format=csv,noheader,nounits"];

    private readonly ICommandRunner _runner;
    private readonly string _executable;

    public NvidiaSmiGpuDetector(ICommandRunner runner, string executable = "nvidia-smi")
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _executable = executable;
    }

    public async Task<GpuInventory?> DetectAsync(CancellationToken cancellationToken)
    {
        CommandResult? query = await _runner.RunAsync(_executable, QueryArguments, cancellationToken).ConfigureAwait(false);
        if (query is null)
        {
            return null;
        }

        if (query.ExitCode != 0)
        {
            // e.g. exit 9: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
            return GpuInventory.Empty($"nvidia-smi exited with {query.ExitCode}: {FirstLine(query.CombinedOutput)}");
        }

        IReadOnlyList<NvidiaSmiQueryParser.Row> rows = NvidiaSmiQueryParser.Parse(query.StandardOutput);
        CommandResult? banner = await _runner.RunAsync(_executable, [], cancellationToken).ConfigureAwait(false);
        NvidiaSmiSummaryParser.Summary? summary = banner is { ExitCode: 0 }
            ? NvidiaSmiSummaryParser.Parse(banner.StandardOutput)
            : null;

        var devices = new List<GpuDevice>(rows.Count);
        foreach (NvidiaSmiQueryParser.Row row in rows)
        {
            GpuDevice device = row.Device;
            if (summary is not null)
            {
                MigInstance[] slices = summary.MigInstances.Where(m => m.GpuIndex == device.Index).ToArray();
                bool mig = slices.Length > 0 || summary.MigEnabledGpus.Contains(device.Index);
                device = device with { MigEnabled = mig, MigInstances = slices };
            }

            devices.Add(device);
        }

        return new GpuInventory(
            GpuSource.NvidiaSmi,
            devices,
            rows.Count > 0 ? rows[0].DriverVersion : summary?.DriverVersion,
            summary?.CudaVersion,
            Problem: null);
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).Trim();
    }
}
