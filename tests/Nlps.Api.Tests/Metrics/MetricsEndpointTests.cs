using System.Net;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task After_a_mixed_workload_the_scrape_passes_promtool_and_our_own_histogram_checks_and_counts_each_call()
    {
        var time = new FakeTimeProvider();
        await using var appliance = new TestAppliance(time: time);
        using var admin = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(admin);
        var key = await appliance.CreateApiKeyAsync(admin, """["test.echo/echo","metrics"]""", ""","requestsPerMinute":2""");
        using var client = appliance.CreateClientWith(key);
        using var anonymous = appliance.CreateClient();
        (await admin.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"하나"}"""))).Dispose();
        (await admin.PostAsync("/v1/agents/test.echo/count", TestAppliance.Json("""{"to":2}"""))).Dispose();
        (await admin.PostAsync("/v1/agents/test.echo/fail", TestAppliance.Json("{}"))).Dispose();
        (await admin.PostAsync("/v1/agents/test.echo/nothing", TestAppliance.Json("{}"))).Dispose();
        (await admin.PostAsync("/v1/agents/unknown.agent/x", TestAppliance.Json("{}"))).Dispose();
        (await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"둘"}"""))).Dispose();
        (await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"셋"}"""))).Dispose();
        (await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"넷"}"""))).Dispose();
        (await anonymous.GetAsync("/v1/admin/status")).Dispose();
        (await anonymous.GetAsync("/no/such/route")).Dispose();
        (await admin.DeleteAsync("/v1/admin/plugins/test.echo")).Dispose();
        await appliance.InstallEchoAsync(admin);
        (await admin.GetAsync("/metrics")).Dispose();

        using var response = await admin.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var (exitCode, output) = TestTools.PromtoolCheckMetrics(text);
        Assert.True(exitCode == 0, $"promtool: {output}\n{text}");
        ExpositionChecks.AssertWellFormed(text);
        Expect(text, 3, "nlps_agent_requests_total{agent=\"test.echo\",operation=\"echo\",status=\"200\"}");
        Expect(text, 1, "nlps_agent_requests_total{agent=\"test.echo\",operation=\"count\",status=\"200\"}");
        Expect(text, 1, "nlps_agent_requests_total{agent=\"test.echo\",operation=\"fail\",status=\"500\"}");
        Assert.DoesNotContain("operation=\"nothing\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown.agent", text, StringComparison.Ordinal);
        Expect(text, 3, "nlps_agent_request_duration_seconds_count{agent=\"test.echo\",operation=\"echo\"}");
        Expect(text, 1, $"nlps_api_key_rejections_total{{key_id=\"{key.Substring(5, 12)}\",reason=\"rate_limit\"}}");
        Expect(text, 1, "nlps_http_server_requests_total{code=\"429\",method=\"POST\",route=\"/v1/agents/{agent}/{operation}\"}");
        Expect(text, 1, "nlps_http_server_requests_total{code=\"401\",method=\"GET\",route=\"/v1/admin/status\"}");
        // The fallback policy answers an anonymous request for no route with 401, not 404 (no route discovery).
        Expect(text, 1, "nlps_http_server_requests_total{code=\"401\",method=\"GET\",route=\"unmatched\"}");
        Assert.DoesNotContain("/metrics", text, StringComparison.Ordinal);
        Expect(text, 1, "nlps_plugin_state{plugin=\"test.echo\",state=\"running\"}");
        Expect(text, 0, "nlps_plugin_state{plugin=\"test.echo\",state=\"faulted\"}");
        Assert.Contains("\nnlps_build_info{", text, StringComparison.Ordinal);
        Assert.True(ExpositionChecks.Value(text, "process_resident_memory_bytes") > 0);
    }

    private static void Expect(string text, double expected, string series)
    {
        var actual = ExpositionChecks.Value(text, series);
        Assert.True(actual == expected, $"{series} is {actual?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}, not {expected}\n{text}");
    }

    [Fact]
    public async Task Metrics_need_a_credential_off_loopback_and_an_agent_key_without_the_metrics_scope_is_refused()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        var agentKey = await appliance.CreateApiKeyAsync(admin, """["*"]""");
        var metricsKey = await appliance.CreateApiKeyAsync(admin, """["metrics"]""");

        // The in-process test server has no remote address, so it is not loopback.
        using var anonymous = appliance.CreateClient();
        using var agentClient = appliance.CreateClientWith(agentKey);
        using var metricsClient = appliance.CreateClientWith(metricsKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await metricsClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await metricsClient.GetAsync("/v1/agents")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await admin.PostAsync("/metrics", null)).StatusCode);
    }
}
