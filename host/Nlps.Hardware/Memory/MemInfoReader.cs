using System.Globalization;

namespace Nlps.Hardware.Memory;

/// <summary>Reads <c>proc/meminfo</c> below a root folder.</summary>
public sealed class MemInfoReader
{
    private readonly string _path;

    public MemInfoReader(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        _path = Path.Combine(root, "proc", "meminfo");
    }

    public async Task<MemoryInfo> ReadAsync(CancellationToken cancellationToken)
    {
        string text = await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false);
        return Parse(text, _path);
    }

    /// <summary>Parses lines such as "MemTotal:       527998116 kB"; the kernel's "kB" means KiB.</summary>
    public static MemoryInfo Parse(string text, string origin = "meminfo")
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            string[] parts = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            {
                throw new HardwareFormatException($"{origin}: cannot read the number in '{line}'");
            }

            long multiplier = parts.Length > 1 && parts[1] == "kB" ? 1024 : 1;
            values[line[..colon]] = checked(number * multiplier);
        }

        long Require(string key) => values.TryGetValue(key, out long v)
            ? v
            : throw new HardwareFormatException($"{origin}: '{key}' is missing");

        long total = Require("MemTotal");

        // Kernels before 3.14 lack MemAvailable; free + cached is the usual approximation there.
        long available = values.TryGetValue("MemAvailable", out long a)
            ? a
            : Require("MemFree") + values.GetValueOrDefault("Cached");
        return new MemoryInfo(total, available, values.GetValueOrDefault("SwapTotal"));
    }
}
