using System.Net;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Security;

public sealed class ApiKeyTests
{
    [Fact]
    public async Task A_new_key_is_shown_once_stored_only_as_a_hash_and_calls_the_operation_it_is_scoped_to()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(admin);

        var key = await appliance.CreateApiKeyAsync(admin, """["test.echo/echo"]""");
        using var client = appliance.CreateClientWith(key);
        using var response = await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"안녕"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^nlps_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key);
        var listed = await (await admin.GetAsync("/v1/admin/api-keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key[18..], listed, StringComparison.Ordinal);
        Assert.Contains("테스트 키", System.Text.Json.JsonDocument.Parse(listed).RootElement[0].GetProperty("name").GetString(), StringComparison.Ordinal);
        var database = await File.ReadAllBytesAsync(Path.Combine(appliance.StateDirectory, "nlps.db"));
        Assert.DoesNotContain(key[18..], System.Text.Encoding.UTF8.GetString(database), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_is_refused_an_operation_outside_its_scopes_with_403_missing_scope_and_the_refusal_is_audited()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(admin);
        var key = await appliance.CreateApiKeyAsync(admin, """["test.echo/echo"]""");
        using var client = appliance.CreateClientWith(key);

        using var response = await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("missing_scope", (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
        var audit = await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/audit?action=auth.scope"));
        var row = Assert.Single(audit.EnumerateArray());
        Assert.Equal("test.echo/noop", row.GetProperty("target").GetString());
        Assert.Equal("Refused", row.GetProperty("result").GetString());
    }

    [Fact]
    public async Task An_agent_wildcard_scope_covers_every_operation_of_that_agent_only_and_the_agent_list_shows_only_reachable_agents()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(admin);
        using (var second = await appliance.UploadAsync(admin, await appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(id: "test.echo2"))))
        {
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        }

        var key = await appliance.CreateApiKeyAsync(admin, """["test.echo/*"]""");
        using var client = appliance.CreateClientWith(key);

        using var noop = await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"));
        using var other = await client.PostAsync("/v1/agents/test.echo2/noop", TestAppliance.Json("{}"));
        var agents = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/agents"));

        Assert.Equal(HttpStatusCode.OK, noop.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(["test.echo"], agents.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("GET", "/v1/admin/status")]
    [InlineData("GET", "/v1/admin/api-keys")]
    [InlineData("POST", "/v1/admin/api-keys")]
    [InlineData("GET", "/v1/admin/plugins")]
    public async Task Even_an_all_agents_key_never_reaches_the_admin_api(string method, string path)
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        var key = await appliance.CreateApiKeyAsync(admin, """["*","metrics"]""");
        using var client = appliance.CreateClientWith(key);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? TestAppliance.Json("""{"name":"x","scopes":["*"]}""") : null });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var keys = await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/api-keys"));
        Assert.Single(keys.EnumerateArray());
    }

    [Fact]
    public async Task A_revoked_key_is_refused_with_api_key_revoked_and_audited_and_stays_listed_as_revoked()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(admin);
        var key = await appliance.CreateApiKeyAsync(admin, """["*"]""");
        var id = key.Substring(5, 12);
        using var client = appliance.CreateClientWith(key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"))).StatusCode);

        using var revoke = await admin.DeleteAsync($"/v1/admin/api-keys/{id}");
        using var refused = await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("api_key_revoked", (await TestAppliance.ReadJsonAsync(refused)).GetProperty("code").GetString());
        var listed = Assert.Single((await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/api-keys"))).EnumerateArray());
        Assert.Equal("revoked", listed.GetProperty("state").GetString());
        var audit = await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/audit?action=auth.api_key"));
        Assert.Contains(audit.EnumerateArray(), r => r.GetProperty("target").GetString() == id && r.GetProperty("detail").GetString()!.StartsWith("revoked", StringComparison.Ordinal));
        var revokes = await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/audit?action=apikey.revoke"));
        Assert.Equal("Ok", Assert.Single(revokes.EnumerateArray()).GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_key_past_its_expiry_is_refused_with_api_key_expired()
    {
        var time = new FakeTimeProvider();
        await using var appliance = new TestAppliance(time: time);
        using var admin = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(admin);
        var expiresAt = time.GetUtcNow().AddHours(1).ToString("O");
        var key = await appliance.CreateApiKeyAsync(admin, """["*"]""", $$""","expiresAt":"{{expiresAt}}" """);
        using var client = appliance.CreateClientWith(key);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"))).StatusCode);

        time.Advance(TimeSpan.FromHours(1));
        using var refused = await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("api_key_expired", (await TestAppliance.ReadJsonAsync(refused)).GetProperty("code").GetString());
        var listed = Assert.Single((await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/api-keys"))).EnumerateArray());
        Assert.Equal("expired", listed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_retry_after_and_is_served_again_once_that_time_has_passed()
    {
        var time = new FakeTimeProvider();
        await using var appliance = new TestAppliance(time: time);
        using var admin = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(admin);
        var key = await appliance.CreateApiKeyAsync(admin, """["*"]""", ""","requestsPerMinute":3""");
        using var client = appliance.CreateClientWith(key);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"))).StatusCode);
        }

        using var limited = await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal("20", Assert.Single(limited.Headers.GetValues("Retry-After")));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", (await TestAppliance.ReadJsonAsync(limited)).GetProperty("code").GetString());

        time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal((HttpStatusCode)429, (await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"))).StatusCode);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"))).StatusCode);
        using var adminCall = await admin.PostAsync("/v1/agents/test.echo/noop", TestAppliance.Json("{}"));
        Assert.Equal(HttpStatusCode.OK, adminCall.StatusCode);
    }

    [Theory]
    [InlineData("nlps_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("nlps_admin_wrong")]
    [InlineData("something-else")]
    public async Task An_unknown_or_malformed_bearer_token_is_refused_with_invalid_credentials_and_audited(string bearer)
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        using var client = appliance.CreateClientWith(bearer);

        using var response = await client.GetAsync("/v1/agents");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_credentials", (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
        var audit = await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/audit"));
        Assert.Contains(audit.EnumerateArray(), r => r.GetProperty("action").GetString()!.StartsWith("auth.", StringComparison.Ordinal) && r.GetProperty("result").GetString() == "Refused");
    }

    [Fact]
    public async Task A_wrong_secret_for_a_real_key_id_is_refused()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();
        var key = await appliance.CreateApiKeyAsync(admin, """["*"]""");
        using var client = appliance.CreateClientWith(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'));

        using var response = await client.GetAsync("/v1/agents");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"x","scopes":[]}""")]
    [InlineData("""{"name":"x","scopes":["test.echo/echo\n"]}""")]
    [InlineData("""{"name":"x","scopes":["admin"]}""")]
    [InlineData("""{"name":"x","scopes":["Test.Echo/echo"]}""")]
    [InlineData("""{"name":"","scopes":["*"]}""")]
    [InlineData("""{"name":"x","scopes":["*"],"expiresAt":"2000-01-01T00:00:00Z"}""")]
    [InlineData("""{"name":"x","scopes":["*"],"requestsPerMinute":0}""")]
    [InlineData("""{"name":"x","scopes":""")]
    [InlineData("""[]""")]
    public async Task A_bad_create_request_is_refused_with_400_and_creates_nothing(string body)
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();

        using var response = await admin.PostAsync("/v1/admin/api-keys", TestAppliance.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestAppliance.ReadJsonAsync(response);
        Assert.Equal("invalid_api_key_request", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Empty((await TestAppliance.ReadJsonAsync(await admin.GetAsync("/v1/admin/api-keys"))).EnumerateArray());
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_404()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();

        using var response = await admin.DeleteAsync("/v1/admin/api-keys/0123456789ab");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("api_key_not_found", (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
    }
}
