using System.Net;
using Nlps.Api.Tests.Support;

namespace Nlps.Api.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Liveness_and_readiness_answer_without_credentials()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateClient();

        using var alive = await client.GetAsync("/healthz");
        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await TestAppliance.ReadJsonAsync(ready);
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("database").GetString());
        Assert.True(body.GetProperty("plugins").GetProperty("loaded").GetBoolean());
    }

    [Fact]
    public async Task Unknown_routes_are_problem_documents_and_still_need_credentials()
    {
        await using var appliance = new TestAppliance();
        using var anonymous = appliance.CreateClient();
        using var admin = appliance.CreateAdminClient();

        using var unauthenticated = await anonymous.GetAsync("/v1/nothing");
        using var missing = await admin.GetAsync("/v1/nothing");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal("route_not_found", (await TestAppliance.ReadJsonAsync(missing)).GetProperty("code").GetString());
    }
}
