using System.Diagnostics.Metrics;
using System.Text;

namespace Nlps.Api.Metrics.Exposition;

/// <summary>
/// Maps .NET instrument names and units to Prometheus names, as the OpenTelemetry Prometheus exporter does: dots
/// to underscores, the unit as a suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>, <c>Cel</c> →
/// <c>_celsius</c>, <c>W</c> → <c>_watts</c>, <c>J</c> → <c>_joules</c>; <c>{annotations}</c> and <c>1</c> add
/// nothing), and <c>_total</c> on counters.
/// </summary>
public static class PrometheusNames
{
    /// <summary>The exposed family name of an instrument.</summary>
    /// <param name="instrumentName">The instrument's name, e.g. <c>nlps.http.server.request.duration</c>.</param>
    /// <param name="unit">Its UCUM unit, e.g. <c>s</c>.</param>
    /// <param name="kind">Its Prometheus type.</param>
    public static string FamilyName(string instrumentName, string? unit, MetricKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(instrumentName);
        var name = Sanitize(instrumentName);
        var suffix = unit switch
        {
            "s" => "seconds",
            "By" => "bytes",
            "Cel" => "celsius",
            "W" => "watts",
            "J" => "joules",
            _ => null,
        };
        if (suffix is not null && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>A tag key as a label name: dots and other characters to underscores, never starting with a digit.</summary>
    /// <param name="tagKey">The tag key.</param>
    public static string LabelName(string tagKey) => Sanitize(tagKey);

    /// <summary>The Prometheus type of an instrument.</summary>
    /// <param name="instrument">The instrument.</param>
    public static MetricKind KindOf(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? MetricKind.Counter
            : definition == typeof(Histogram<>) ? MetricKind.Histogram
            : MetricKind.Gauge;
    }

    private static string Sanitize(string raw)
    {
        var name = new StringBuilder(raw.Length + 1);
        foreach (var c in raw)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, '_');
        }

        return name.ToString();
    }
}
