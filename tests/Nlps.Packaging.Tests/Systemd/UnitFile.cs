namespace Nlps.Packaging.Tests.Systemd;

/// <summary>packaging/systemd/nlpsd.service read as systemd reads it: sections of <c>Key=value</c> lines, a key may repeat.</summary>
internal sealed class UnitFile
{
    private readonly List<(string Section, string Key, string Value)> settings = [];

    public UnitFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var section = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            settings.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }
    }

    /// <summary>Every value of the key, in order.</summary>
    public IReadOnlyList<string> All(string section, string key) =>
        [.. settings.Where(s => s.Section == section && s.Key == key).Select(s => s.Value)];

    /// <summary>The value in force: the last assignment.</summary>
    public string? Get(string section, string key) => All(section, key).LastOrDefault();
}
