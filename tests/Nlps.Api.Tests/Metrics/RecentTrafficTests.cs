using System.Net;
using Nlps.Api.Metrics.Traffic;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Metrics;

public sealed class RecentTrafficTests
{
    [Fact]
    public void The_summary_gives_the_rate_over_the_window_and_nearest_rank_percentiles()
    {
        var time = new FakeTimeProvider();
        var traffic = new RecentTraffic(time);
        for (var ms = 1; ms <= 100; ms++)
        {
            traffic.Record(ms == 100 ? 503 : 200, TimeSpan.FromMilliseconds(ms));
            if (ms % 10 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var summary = traffic.Summarize();

        Assert.Equal(100, summary.Requests);
        Assert.Equal(1, summary.ServerErrors);
        Assert.Equal(100.0 / 60, summary.RequestsPerSecond, 9);
        Assert.Equal(0.050, summary.P50Seconds!.Value, 9);
        Assert.Equal(0.095, summary.P95Seconds!.Value, 9);
    }

    [Fact]
    public void Requests_older_than_the_window_drop_out_and_their_slots_are_reused()
    {
        var time = new FakeTimeProvider();
        var traffic = new RecentTraffic(time);
        traffic.Record(200, TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(RecentTraffic.WindowSeconds - 1));
        Assert.Equal(1, traffic.Summarize().Requests);

        time.Advance(TimeSpan.FromSeconds(1));
        var empty = traffic.Summarize();
        Assert.Equal(0, empty.Requests);
        Assert.Null(empty.P50Seconds);
        Assert.Null(empty.P95Seconds);

        traffic.Record(200, TimeSpan.FromMilliseconds(5));
        var reused = traffic.Summarize();
        Assert.Equal(1, reused.Requests);
        Assert.Equal(0.005, reused.P95Seconds!.Value, 9);
    }

    [Fact]
    public void Beyond_the_samples_kept_per_second_requests_are_still_counted()
    {
        var traffic = new RecentTraffic(new FakeTimeProvider());
        for (var i = 0; i < RecentTraffic.SamplesPerSecond + 10; i++)
        {
            traffic.Record(200, TimeSpan.FromMilliseconds(i < RecentTraffic.SamplesPerSecond ? 1 : 1000));
        }

        var summary = traffic.Summarize();

        Assert.Equal(RecentTraffic.SamplesPerSecond + 10, summary.Requests);
        Assert.Equal(0.001, summary.P95Seconds!.Value, 9);
    }

    [Fact]
    public async Task The_admin_endpoint_counts_serving_calls_and_not_the_consoles_own()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        for (var i = 0; i < 3; i++)
        {
            using var whoami = await admin.GetAsync("/v1/whoami");
            Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        }

        (await admin.GetAsync("/v1/admin/status")).Dispose();
        var summary = await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/traffic"));

        Assert.Equal(3, summary.GetProperty("requests").GetInt64());
        Assert.Equal(60, summary.GetProperty("windowSeconds").GetInt32());
        Assert.True(summary.GetProperty("p95Seconds").GetDouble() >= summary.GetProperty("p50Seconds").GetDouble());
    }
}
