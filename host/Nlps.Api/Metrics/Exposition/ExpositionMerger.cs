using System.Text;

namespace Nlps.Api.Metrics.Exposition;

/// <summary>
/// Joins nlpsd's own exposition with the pages scraped from engine processes: every engine sample gets a
/// <c>deployment</c> label (an engine's own <c>deployment</c> label is kept as <c>exported_deployment</c>, as
/// Prometheus does), and families of the same name from several sources are written once, HELP and TYPE from the
/// first, with all their samples together. Samples belong to the last family declared whose name they extend
/// (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>, <c>_total</c>, <c>_created</c>). Comments other than HELP and TYPE are dropped.
/// </summary>
public static class ExpositionMerger
{
    private static readonly string[] Suffixes = ["_bucket", "_sum", "_count", "_total", "_created"];

    /// <param name="own">nlpsd's own exposition, written first and unchanged.</param>
    /// <param name="engines">Each engine's exposition by deployment name (names are label-safe: a-z, 0-9, '.', '_', '-').</param>
    public static string Merge(string own, IEnumerable<(string Deployment, string Exposition)> engines)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(engines);
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var order = new List<Family>();
        Add(own, null, families, order);
        foreach ((string deployment, string exposition) in engines)
        {
            Add(exposition, deployment, families, order);
        }

        var text = new StringBuilder();
        foreach (Family family in order)
        {
            family.WriteTo(text);
        }

        return text.ToString();
    }

    private static void Add(string exposition, string? deployment, Dictionary<string, Family> families, List<Family> order)
    {
        Family? current = null;
        foreach (string raw in exposition.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                string[] parts = line.Split(' ', 4);
                if (parts.Length >= 4 && parts[1] is "HELP" or "TYPE")
                {
                    current = Get(parts[2], families, order);
                    if (parts[1] == "HELP")
                    {
                        current.Help ??= line;
                    }
                    else
                    {
                        current.Type ??= line;
                    }
                }

                continue;
            }

            int nameEnd = line.IndexOfAny(['{', ' ']);
            string name = nameEnd < 0 ? line : line[..nameEnd];
            Family family = current is not null && (name == current.Name || Suffixes.Any(s => name == current.Name + s)) ? current : Get(name, families, order);
            family.Samples.Add(deployment is null ? line : Label(line, name, deployment));
        }
    }

    private static Family Get(string name, Dictionary<string, Family> families, List<Family> order)
    {
        if (!families.TryGetValue(name, out Family? family))
        {
            family = new Family(name);
            families[name] = family;
            order.Add(family);
        }

        return family;
    }

    private static string Label(string line, string name, string deployment)
    {
        string rest = line[name.Length..];
        string label = $"deployment=\"{deployment}\"";
        if (!rest.StartsWith('{'))
        {
            return $"{name}{{{label}}}{rest}";
        }

        // Label names are never inside quoted values at a position right after '{' or ',', so this finds only real ones.
        string labels = rest.Replace("{deployment=", "{exported_deployment=", StringComparison.Ordinal)
            .Replace(",deployment=", ",exported_deployment=", StringComparison.Ordinal);
        return labels.StartsWith("{}", StringComparison.Ordinal)
            ? $"{name}{{{label}}}{labels[2..]}"
            : $"{name}{{{label},{labels[1..]}";
    }

    private sealed class Family(string name)
    {
        public string Name { get; } = name;

        public string? Help { get; set; }

        public string? Type { get; set; }

        public List<string> Samples { get; } = [];

        public void WriteTo(StringBuilder text)
        {
            if (Help is not null)
            {
                text.Append(Help).Append('\n');
            }

            if (Type is not null)
            {
                text.Append(Type).Append('\n');
            }

            foreach (string sample in Samples)
            {
                text.Append(sample).Append('\n');
            }
        }
    }
}
