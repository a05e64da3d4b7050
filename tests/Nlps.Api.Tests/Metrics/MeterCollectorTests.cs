using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Metrics.Exposition;

namespace Nlps.Api.Tests.Metrics;

public sealed class MeterCollectorTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Factory => services.GetRequiredService<IMeterFactory>();

    [Fact]
    public void Counters_accumulate_deltas_and_never_go_down_between_scrapes()
    {
        using var collector = new MeterCollector(Factory, name => name == "Nlps");
        var counter = Factory.Create("Nlps").CreateCounter<long>("nlps.things", "{thing}", "Things.");

        counter.Add(2, new KeyValuePair<string, object?>("kind", "a"));
        var first = PrometheusTextFormat.Write(collector.Collect());
        counter.Add(3, new KeyValuePair<string, object?>("kind", "a"));
        var second = PrometheusTextFormat.Write(collector.Collect());

        Assert.Equal(2, ExpositionChecks.Value(first, "nlps_things_total{kind=\"a\"}"));
        Assert.Equal(5, ExpositionChecks.Value(second, "nlps_things_total{kind=\"a\"}"));
    }

    [Fact]
    public void Histograms_count_into_the_advised_buckets_with_bounds_inclusive_above()
    {
        using var collector = new MeterCollector(Factory, name => name == "Nlps");
        var histogram = Factory.Create("Nlps").CreateHistogram("nlps.wait", "s", "Waits.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1] });

        foreach (var value in new[] { 0.5, 0.7, 1.0, 3.0, double.NaN })
        {
            histogram.Record(value);
        }

        var text = PrometheusTextFormat.Write(collector.Collect());

        Assert.Equal(1, ExpositionChecks.Value(text, "nlps_wait_seconds_bucket{le=\"0.5\"}"));
        Assert.Equal(3, ExpositionChecks.Value(text, "nlps_wait_seconds_bucket{le=\"1\"}"));
        Assert.Equal(4, ExpositionChecks.Value(text, "nlps_wait_seconds_bucket{le=\"+Inf\"}"));
        Assert.Equal(4, ExpositionChecks.Value(text, "nlps_wait_seconds_count"));
        Assert.Equal(5.2, ExpositionChecks.Value(text, "nlps_wait_seconds_sum")!.Value, 10);
        ExpositionChecks.AssertWellFormed(text);
    }

    [Fact]
    public void Observable_series_that_stop_being_reported_disappear_from_the_next_scrape()
    {
        using var collector = new MeterCollector(Factory, name => name == "Nlps");
        var plugins = new List<string> { "a", "b" };
        Factory.Create("Nlps").CreateObservableGauge("nlps.plugin.up", () => plugins.Select(p => new Measurement<int>(1, new KeyValuePair<string, object?>("plugin", p))));

        var before = PrometheusTextFormat.Write(collector.Collect());
        plugins.Remove("b");
        var after = PrometheusTextFormat.Write(collector.Collect());

        Assert.Equal(1, ExpositionChecks.Value(before, "nlps_plugin_up{plugin=\"b\"}"));
        Assert.Null(ExpositionChecks.Value(after, "nlps_plugin_up{plugin=\"b\"}"));
        Assert.Equal(1, ExpositionChecks.Value(after, "nlps_plugin_up{plugin=\"a\"}"));
    }

    [Fact]
    public void Meters_of_another_host_and_meters_outside_the_filter_are_not_exported()
    {
        using var collector = new MeterCollector(Factory, name => name == "Nlps");
        using var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();
        otherHost.GetRequiredService<IMeterFactory>().Create("Nlps").CreateCounter<long>("nlps.elsewhere").Add(1);
        Factory.Create("Other").CreateCounter<long>("nlps.unrelated").Add(1);
        using var unscoped = new Meter("Nlps");
        unscoped.CreateCounter<long>("nlps.global").Add(1);

        var text = PrometheusTextFormat.Write(collector.Collect());

        Assert.Equal(string.Empty, text);
    }

    [Fact]
    public void Two_instruments_with_one_exposed_name_share_one_family_and_sum_their_series()
    {
        using var collector = new MeterCollector(Factory, name => name.StartsWith("Nlps", StringComparison.Ordinal));
        Factory.Create("Nlps").CreateCounter<long>("nlps.calls").Add(2);
        Factory.Create("Nlps.Other").CreateCounter<long>("nlps.calls").Add(3);

        var text = PrometheusTextFormat.Write(collector.Collect());

        Assert.Equal(1, text.Split('\n').Count(l => l.StartsWith("# TYPE nlps_calls_total", StringComparison.Ordinal)));
        Assert.Equal(5, ExpositionChecks.Value(text, "nlps_calls_total"));
    }

    public void Dispose() => services.Dispose();
}
