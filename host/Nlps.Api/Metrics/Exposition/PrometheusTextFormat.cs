using System.Globalization;
using System.Text;

namespace Nlps.Api.Metrics.Exposition;

/// <summary>
/// Writes families in the Prometheus text format 0.0.4: one <c># HELP</c> and <c># TYPE</c> per family before its
/// samples, families sorted by name, series sorted by labels, numbers culture-invariant (<c>+Inf</c>, <c>-Inf</c>,
/// <c>NaN</c> literally), label values escaped, histogram buckets cumulative and ending in <c>le="+Inf"</c> equal to
/// <c>_count</c>, <c>\n</c> line ends only and no BOM.
/// </summary>
public static class PrometheusTextFormat
{
    /// <summary>The exact media type (Prometheus 3 refuses a scrape whose Content-Type it cannot parse).</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The exposition of <paramref name="families"/>.</summary>
    /// <param name="families">The families; two with the same name are an error.</param>
    public static string Write(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (!seen.Add(family.Name))
            {
                throw new ArgumentException($"family {family.Name} appears twice", nameof(families));
            }

            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Kind)).Append('\n');
            foreach (var series in family.Series.OrderBy(s => LabelKey(s.Labels), StringComparer.Ordinal))
            {
                if (family.Kind == MetricKind.Histogram)
                {
                    WriteHistogram(text, family.Name, series);
                }
                else
                {
                    WriteSample(text, family.Name, series.Labels, null, series.Value);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>A number as Prometheus reads it: shortest round-trip, invariant culture, <c>+Inf</c>/<c>-Inf</c>/<c>NaN</c>.</summary>
    /// <param name="value">The number.</param>
    public static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A label value with <c>\</c>, <c>"</c> and line feeds escaped.</summary>
    /// <param name="value">The raw value.</param>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>Help text with <c>\</c> and line feeds escaped.</summary>
    /// <param name="help">The raw help.</param>
    public static string EscapeHelp(string help)
    {
        ArgumentNullException.ThrowIfNull(help);
        return help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
    }

    private static void WriteHistogram(StringBuilder text, string name, MetricSeries series)
    {
        var histogram = series.Histogram ?? throw new ArgumentException($"histogram {name} has a series without histogram data");
        if (histogram.BucketCounts.Count != histogram.UpperBounds.Count + 1)
        {
            throw new ArgumentException($"histogram {name} has {histogram.BucketCounts.Count} bucket counts for {histogram.UpperBounds.Count} bounds");
        }

        long cumulative = 0;
        for (var i = 0; i < histogram.UpperBounds.Count; i++)
        {
            cumulative += histogram.BucketCounts[i];
            WriteSample(text, name + "_bucket", series.Labels, FormatNumber(histogram.UpperBounds[i]), cumulative);
        }

        cumulative += histogram.BucketCounts[^1];
        WriteSample(text, name + "_bucket", series.Labels, "+Inf", cumulative);
        WriteSample(text, name + "_sum", series.Labels, null, histogram.Sum);
        WriteSample(text, name + "_count", series.Labels, null, cumulative);
    }

    private static void WriteSample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (label, labelValue) in labels)
            {
                text.Append(first ? string.Empty : ",").Append(label).Append("=\"").Append(EscapeLabelValue(labelValue)).Append('"');
                first = false;
            }

            if (le is not null)
            {
                text.Append(first ? string.Empty : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(FormatNumber(value)).Append('\n');
    }

    private static string LabelKey(IReadOnlyList<KeyValuePair<string, string>> labels) =>
        string.Join('\u0001', labels.Select(l => $"{l.Key}\u0002{l.Value}"));

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Gauge => "gauge",
        MetricKind.Histogram => "histogram",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
