using System.Globalization;
using System.Text.RegularExpressions;

namespace Nlps.Api.Tests.Metrics;

/// <summary>
/// The exposition mistakes promtool does not catch (serving.md §3), checked on scraped text: one HELP and TYPE per
/// family before its samples and no family split across the page, no duplicate series, and for each histogram
/// series: buckets sorted, cumulative, ending in le="+Inf" equal to _count.
/// </summary>
internal static partial class ExpositionChecks
{
    public static void AssertWellFormed(string text)
    {
        Assert.DoesNotContain('\r', text);
        Assert.False(text.StartsWith('\uFEFF'), "starts with a BOM");
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var buckets = new Dictionary<string, List<(double Le, double Count)>>(StringComparer.Ordinal);
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var name = line.Split(' ')[2];
                Assert.False(typed.ContainsKey(name) || finished.Contains(name), $"second HELP for {name}");
                if (current is not null)
                {
                    finished.Add(current);
                }

                current = name;
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(current, parts[2]);
                Assert.True(typed.TryAdd(parts[2], parts[3]), $"second TYPE for {parts[2]}");
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var sample = match.Groups["name"].Value;
            var labels = match.Groups["labels"].Value;
            var value = ParseValue(match.Groups["value"].Value);
            Assert.True(series.Add(sample + "{" + labels + "}"), $"duplicate series {line}");
            Assert.NotNull(current);
            var family = typed[current!];
            var expectedNames = family == "histogram" ? new[] { current + "_bucket", current + "_sum", current + "_count" } : [current!];
            Assert.Contains(sample, expectedNames);
            if (family == "counter")
            {
                Assert.EndsWith("_total", current, StringComparison.Ordinal);
            }

            if (sample.EndsWith("_bucket", StringComparison.Ordinal))
            {
                var le = LeLabel().Match(labels);
                Assert.True(le.Success, $"bucket without le: {line}");
                var rest = LeLabel().Replace(labels, string.Empty).Trim(',');
                var key = current + "{" + rest + "}";
                buckets.TryAdd(key, []);
                buckets[key].Add((ParseValue(le.Groups[1].Value), value));
            }
            else if (sample.EndsWith("_count", StringComparison.Ordinal) && family == "histogram")
            {
                counts[current + "{" + labels + "}"] = value;
            }
        }

        foreach (var (key, list) in buckets)
        {
            Assert.True(double.IsPositiveInfinity(list[^1].Le), $"{key}: last bucket is not le=\"+Inf\"");
            for (var i = 1; i < list.Count; i++)
            {
                Assert.True(list[i].Le > list[i - 1].Le, $"{key}: buckets not sorted");
                Assert.True(list[i].Count >= list[i - 1].Count, $"{key}: buckets not cumulative");
            }

            Assert.True(counts.TryGetValue(key, out var count), $"{key}: no _count");
            Assert.Equal(count, list[^1].Count);
        }
    }

    /// <summary>The value of one sample, or null when absent.</summary>
    public static double? Value(string text, string seriesWithLabels)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(seriesWithLabels + " ", StringComparison.Ordinal))
            {
                return ParseValue(line[(seriesWithLabels.Length + 1)..]);
            }
        }

        return null;
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?:^|,)le=\"([^\"]*)\"")]
    private static partial Regex LeLabel();
}
