using System.Globalization;
using Nlps.Api.Metrics.Exposition;
using Nlps.Testing;

namespace Nlps.Api.Tests.Metrics;

public sealed class PrometheusTextFormatTests
{
    private static readonly KeyValuePair<string, string>[] NoLabels = [];

    [Fact]
    public void Histogram_buckets_are_cumulative_sorted_and_end_in_plus_inf_equal_to_count()
    {
        var family = new MetricFamily("x_seconds", MetricKind.Histogram, "x", [new MetricSeries(NoLabels, 0, new HistogramData([0.1, 1, 10], [2, 0, 3, 4], 57.5))]);

        var text = PrometheusTextFormat.Write([family]);

        Assert.Equal("""
            # HELP x_seconds x
            # TYPE x_seconds histogram
            x_seconds_bucket{le="0.1"} 2
            x_seconds_bucket{le="1"} 2
            x_seconds_bucket{le="10"} 5
            x_seconds_bucket{le="+Inf"} 9
            x_seconds_sum 57.5
            x_seconds_count 9

            """.Replace("\r", string.Empty, StringComparison.Ordinal), text);
        ExpositionChecks.AssertWellFormed(text);
    }

    [Fact]
    public void A_histogram_without_observations_still_writes_every_bucket_as_zero()
    {
        var text = PrometheusTextFormat.Write([new MetricFamily("y_seconds", MetricKind.Histogram, "y", [new MetricSeries([new("route", "/a")], 0, new HistogramData([1, 2], [0, 0, 0], 0))])]);

        Assert.Contains("y_seconds_bucket{route=\"/a\",le=\"+Inf\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("y_seconds_bucket{route=\"/a\",le=\"2\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("y_seconds_count{route=\"/a\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_and_help_are_escaped_and_korean_stays_utf8()
    {
        var family = new MetricFamily("z_total", MetricKind.Counter, "back\\slash\nnew line", [new MetricSeries([new("plugin", "번역 \"금융\"\\\n끝")], 3, null)]);

        var text = PrometheusTextFormat.Write([family]);

        Assert.Contains("# HELP z_total back\\\\slash\\nnew line\n", text, StringComparison.Ordinal);
        Assert.Contains("z_total{plugin=\"번역 \\\"금융\\\"\\\\\\n끝\"} 3\n", text, StringComparison.Ordinal);
        var (exitCode, output) = TestTools.PromtoolCheckMetrics(text);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void Numbers_are_culture_invariant_and_infinities_are_written_as_prometheus_spells_them()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var text = PrometheusTextFormat.Write([new MetricFamily("g", MetricKind.Gauge, "g", [
                new MetricSeries([new("k", "a")], 1.5, null),
                new MetricSeries([new("k", "b")], double.PositiveInfinity, null),
                new MetricSeries([new("k", "c")], double.NegativeInfinity, null),
                new MetricSeries([new("k", "d")], double.NaN, null),
                new MetricSeries([new("k", "e")], 0.1, null),
                new MetricSeries([new("k", "f")], 1e21, null),
            ])]);

            Assert.Contains("g{k=\"a\"} 1.5\n", text, StringComparison.Ordinal);
            Assert.Contains("g{k=\"b\"} +Inf\n", text, StringComparison.Ordinal);
            Assert.Contains("g{k=\"c\"} -Inf\n", text, StringComparison.Ordinal);
            Assert.Contains("g{k=\"d\"} NaN\n", text, StringComparison.Ordinal);
            Assert.Contains("g{k=\"e\"} 0.1\n", text, StringComparison.Ordinal);
            Assert.Contains("g{k=\"f\"} 1E+21\n", text, StringComparison.Ordinal);
            Assert.Equal(0, TestTools.PromtoolCheckMetrics(text).ExitCode);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Families_and_series_come_out_sorted_so_two_scrapes_of_one_state_are_identical()
    {
        MetricFamily[] families =
        [
            new("b_total", MetricKind.Counter, "b", [new([new("x", "2")], 1, null), new([new("x", "1")], 1, null)]),
            new("a", MetricKind.Gauge, "a", [new(NoLabels, 1, null)]),
        ];

        var once = PrometheusTextFormat.Write(families);
        var again = PrometheusTextFormat.Write(families.Reverse());

        Assert.Equal(once, again);
        Assert.True(once.IndexOf("# HELP a ", StringComparison.Ordinal) < once.IndexOf("# HELP b_total", StringComparison.Ordinal));
        Assert.True(once.IndexOf("x=\"1\"", StringComparison.Ordinal) < once.IndexOf("x=\"2\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_family_twice_is_refused_rather_than_written_with_two_type_lines()
    {
        var family = new MetricFamily("a", MetricKind.Gauge, "a", []);

        Assert.Throws<ArgumentException>(() => PrometheusTextFormat.Write([family, family]));
    }

    [Theory]
    [InlineData("nlps.http.server.request.duration", "s", MetricKind.Histogram, "nlps_http_server_request_duration_seconds")]
    [InlineData("nlps.http.server.requests", "{request}", MetricKind.Counter, "nlps_http_server_requests_total")]
    [InlineData("process.cpu.seconds", "s", MetricKind.Counter, "process_cpu_seconds_total")]
    [InlineData("nlps.gpu.memory.used", "By", MetricKind.Gauge, "nlps_gpu_memory_used_bytes")]
    [InlineData("nlps.gpu.temperature", "Cel", MetricKind.Gauge, "nlps_gpu_temperature_celsius")]
    [InlineData("9lives-x", null, MetricKind.Gauge, "_9lives_x")]
    public void Instrument_names_map_to_prometheus_names_with_unit_and_total_suffixes(string instrument, string? unit, MetricKind kind, string expected) =>
        Assert.Equal(expected, PrometheusNames.FamilyName(instrument, unit, kind));
}
