namespace Nlps.Hardware.Cpu;

/// <summary>Reads <c>proc/cpuinfo</c> below a root folder ("/" on a real box, a fixture folder in tests).</summary>
public sealed class CpuInfoReader
{
    private readonly string _path;

    public CpuInfoReader(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        _path = Path.Combine(root, "proc", "cpuinfo");
    }

    public async Task<CpuInfo> ReadAsync(CancellationToken cancellationToken)
    {
        string text = await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false);
        return Parse(text, _path);
    }

    /// <summary>Parses cpuinfo text: blocks of "key : value" lines separated by blank lines, one block per logical processor.</summary>
    public static CpuInfo Parse(string text, string origin = "cpuinfo")
    {
        ArgumentNullException.ThrowIfNull(text);
        int threads = 0;
        string? model = null;
        IReadOnlySet<string>? flags = null;
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<(string Socket, string Core)>();
        string? physicalId = null;
        string? coreId = null;

        void EndBlock()
        {
            if (physicalId is not null && coreId is not null)
            {
                cores.Add((physicalId, coreId));
            }

            physicalId = null;
            coreId = null;
        }

        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                EndBlock();
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    EndBlock();
                    threads++;
                    break;
                case "model name":
                    model ??= value;
                    break;
                case "physical id":
                    physicalId = value;
                    sockets.Add(value);
                    break;
                case "core id":
                    coreId = value;
                    break;
                case "flags":
                    flags ??= value.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                    break;
                default:
                    break;
            }
        }

        EndBlock();
        if (threads == 0)
        {
            throw new HardwareFormatException($"{origin}: no 'processor' entries");
        }

        // Some virtual machines and ARM kernels omit topology fields: then every thread counts as a core on one socket.
        int socketCount = Math.Max(1, sockets.Count);
        int coreCount = cores.Count > 0 ? cores.Count : threads;
        return new CpuInfo(
            model ?? "unknown",
            socketCount,
            coreCount,
            threads,
            flags ?? new HashSet<string>(StringComparer.Ordinal));
    }
}
