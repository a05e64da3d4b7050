using System.Text.Json;
using System.Text.RegularExpressions;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Metrics;

/// <summary>packaging/prometheus and packaging/grafana: valid for promtool, and naming only series nlpsd really exports.</summary>
public sealed partial class MonitoringPackagingTests
{
    private static readonly string Prometheus = Path.Combine(RepositoryPaths.Root, "packaging", "prometheus");

    [Fact]
    public void The_scrape_config_and_alert_rules_pass_promtool_and_the_alert_unit_tests()
    {
        var promtool = TestTools.Ensure("promtool", "promtool");
        var guard = TimeSpan.FromMinutes(1);

        var config = TestTools.Run(promtool, ["check", "config", Path.Combine(Prometheus, "prometheus.yml")], null, guard);
        Assert.True(config.ExitCode == 0, config.Output);
        var rules = TestTools.Run(promtool, ["check", "rules", Path.Combine(Prometheus, "rules", "nlps-alerts.yml")], null, guard);
        Assert.True(rules.ExitCode == 0, rules.Output);
        var tests = TestTools.Run(promtool, ["test", "rules", Path.Combine(Prometheus, "rules", "nlps-alerts.test.yml")], null, guard);
        Assert.True(tests.ExitCode == 0, tests.Output);
    }

    [Fact]
    public async Task Every_series_the_alerts_and_the_dashboard_query_is_one_nlpsd_exports()
    {
        await using var appliance = new TestAppliance(new Dictionary<string, string?> { ["Hardware:SimulatedBoxFolder"] = Path.Combine(AppContext.BaseDirectory, "Fixtures", "l40s-4x") });
        using var admin = appliance.CreateAdminClient();
        var exposition = await admin.GetStringAsync("/metrics");
        var families = TypeLine().Matches(exposition).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("nlps_gpu_memory_used_bytes", families);

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "packaging", "grafana", "nlps-appliance.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .Append(await File.ReadAllTextAsync(Path.Combine(Prometheus, "rules", "nlps-alerts.yml")))
            .ToList();
        var used = expressions.SelectMany(e => SeriesName().Matches(e).Select(m => HistogramSuffix().Replace(m.Value, string.Empty))).ToHashSet(StringComparer.Ordinal);

        Assert.True(used.Count >= 10, $"only {used.Count} series named");
        Assert.Equal([], used.Where(name => !families.Contains(name)).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\b(?:nlps|process)_[a-z_]+")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
