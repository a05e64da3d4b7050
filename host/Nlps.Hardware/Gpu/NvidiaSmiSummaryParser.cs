using System.Globalization;
using System.Text.RegularExpressions;

namespace Nlps.Hardware.Gpu;

/// <summary>
/// Reads what the CSV query cannot give from plain <c>nvidia-smi</c> output: the CUDA version in the banner,
/// which GPUs are in MIG mode, and the "MIG devices" table with each slice's memory.
/// </summary>
public static partial class NvidiaSmiSummaryParser
{
    public sealed record Summary(string? DriverVersion, string? CudaVersion, IReadOnlySet<int> MigEnabledGpus, IReadOnlyList<MigInstance> MigInstances);

    public static Summary Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? driver = DriverRegex().Match(text) is { Success: true } d ? d.Groups[1].Value : null;
        string? cuda = CudaRegex().Match(text) is { Success: true } c ? c.Groups[1].Value : null;
        var migEnabled = new HashSet<int>();
        var instances = new List<MigInstance>();
        int? currentGpu = null;
        bool inMigTable = false;
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r', ' ');
            if (line.Contains("MIG devices:", StringComparison.Ordinal))
            {
                inMigTable = true;
                continue;
            }

            if (line.Contains("Processes:", StringComparison.Ordinal))
            {
                inMigTable = false;
                continue;
            }

            if (inMigTable)
            {
                Match row = MigRowRegex().Match(line);
                if (row.Success)
                {
                    instances.Add(new MigInstance(
                        Int(row, 1), Int(row, 2), Int(row, 3), Int(row, 4),
                        TotalBytes: Mib(row, 6),
                        UsedBytes: Mib(row, 5)));
                }

                continue;
            }

            Match gpuRow = GpuRowRegex().Match(line);
            if (gpuRow.Success)
            {
                currentGpu = Int(gpuRow, 1);
                continue;
            }

            if (currentGpu is int gpu && MigModeRegex().IsMatch(line))
            {
                migEnabled.Add(gpu);
            }
        }

        return new Summary(driver, cuda, migEnabled, instances);
    }

    private static int Int(Match match, int group) =>
        int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);

    private static long Mib(Match match, int group) =>
        checked(long.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture) * 1024 * 1024);

    [GeneratedRegex(@"Driver Version:\s*([0-9][0-9.]*)")]
    private static partial Regex DriverRegex();

    [GeneratedRegex(@"CUDA Version:\s*([0-9][0-9.]*)")]
    private static partial Regex CudaRegex();

    // First line of a GPU block: "|   0  NVIDIA A100-SXM4-80GB   On  |   00000000:07:00.0 Off |".
    [GeneratedRegex(@"^\|\s+(\d+)\s+.+\|\s+[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.\d")]
    private static partial Regex GpuRowRegex();

    // Third line of a GPU block ends with the "MIG M." cell.
    [GeneratedRegex(@"\|\s+Enabled\s+\|$")]
    private static partial Regex MigModeRegex();

    // "|  0    1   0   0  |              25MiB / 40192MiB    | 42      0 | ...": GPU, GI, CI, MIG dev, used, total.
    [GeneratedRegex(@"^\|\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\|\s*(\d+)MiB\s*/\s*(\d+)MiB")]
    private static partial Regex MigRowRegex();
}
