using System.Net;
using System.Text;
using Nlps.Api.Tests.Support;

namespace Nlps.Api.Tests.Agents;

public sealed class AgentApiTests
{
    [Fact]
    public async Task Agents_are_listed_with_state_and_operations()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        var agents = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/agents"));

        var echo = Assert.Single(agents.EnumerateArray());
        Assert.Equal("test.echo", echo.GetProperty("id").GetString());
        Assert.Equal("Running", echo.GetProperty("state").GetString());
        Assert.Contains(echo.GetProperty("operations").EnumerateArray(), op => op.GetProperty("name").GetString() == "count" && op.GetProperty("streaming").GetBoolean());
    }

    [Fact]
    public async Task Each_operation_is_described_with_the_json_schema_of_its_request()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        var operations = (await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/agents/test.echo/operations")))
            .EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);

        var echo = operations["echo"].GetProperty("requestSchema");
        Assert.Equal("object", echo.GetProperty("type").GetString());
        Assert.Equal("string", echo.GetProperty("properties").GetProperty("text").GetProperty("type").GetString());
        Assert.Equal(["text"], echo.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var count = operations["count"];
        Assert.True(count.GetProperty("streaming").GetBoolean());
        Assert.Equal("integer", count.GetProperty("requestSchema").GetProperty("properties").GetProperty("to").GetProperty("type").GetString());
        var remember = operations["remember"].GetProperty("requestSchema").GetProperty("properties");
        Assert.Contains("null", remember.GetProperty("value").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task A_key_sees_only_the_operations_its_scopes_reach_and_an_unknown_agent_is_404()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);
        using var echoOnly = appliance.CreateClientWith(await appliance.CreateApiKeyAsync(client, """["test.echo/echo"]"""));
        using var modelsOnly = appliance.CreateClientWith(await appliance.CreateApiKeyAsync(client, """["models"]"""));

        var visible = await TestAppliance.ReadJsonAsync(await echoOnly.GetAsync("/v1/agents/test.echo/operations"));
        using var forbidden = await modelsOnly.GetAsync("/v1/agents/test.echo/operations");
        using var unknown = await client.GetAsync("/v1/agents/test.nothing/operations");

        Assert.Equal(["echo"], visible.EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("agent_not_found", (await TestAppliance.ReadJsonAsync(unknown)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_operation_answers_json_and_keeps_korean_text_unescaped()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        using var response = await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"금융실명제는 1993년에 도입되었다."}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Contains("금융실명제는 1993년에 도입되었다.", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streaming_operation_sends_server_sent_events_then_done()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        using var response = await client.PostAsync("/v1/agents/test.echo/count", TestAppliance.Json("""{"to":3}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: {\"n\":3}\n\nevent: done\ndata: {}\n\n", body);
    }

    [Theory]
    [InlineData("test.nothing", "echo", """{"text":"x"}""", HttpStatusCode.NotFound, "agent_not_found")]
    [InlineData("test.echo", "nothing", """{"text":"x"}""", HttpStatusCode.NotFound, "operation_not_found")]
    [InlineData("test.echo", "echo", """{"text":""", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("test.echo", "echo", """{"wrong":1}""", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("test.echo", "echo", "null", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("test.echo", "fail", "{}", HttpStatusCode.InternalServerError, "agent_failed")]
    [InlineData("test.echo", "reject", "{}", HttpStatusCode.UnprocessableEntity, "echo_rejected")]
    [InlineData("test.echo", "chat", """{"text":"x"}""", HttpStatusCode.ServiceUnavailable, "model_unavailable")]
    public async Task Errors_are_problem_documents_with_a_stable_code(string agent, string operation, string body, HttpStatusCode status, string code)
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        using var response = await client.PostAsync($"/v1/agents/{agent}/{operation}", TestAppliance.Json(body));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await TestAppliance.ReadJsonAsync(response);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_and_the_agent_keeps_serving()
    {
        await using var appliance = new TestAppliance(new Dictionary<string, string?> { ["AgentApi:MaxRequestBodyBytes"] = "1024" });
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        using var tooLarge = await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json($$"""{"text":"{{new string('가', 2000)}}"}"""));
        using var ok = await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"small"}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("request_too_large", (await TestAppliance.ReadJsonAsync(tooLarge)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        using var response = await client.PostAsync("/v1/agents/test.echo/echo", new StringContent("text=hi", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_operation_past_the_call_timeout_is_cancelled_with_504()
    {
        await using var appliance = new TestAppliance(new Dictionary<string, string?> { ["AgentApi:OperationTimeout"] = "00:00:01" });
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        using var response = await client.PostAsync("/v1/agents/test.echo/wait", TestAppliance.Json("{}"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("operation_timeout", (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
        using var recall = await client.PostAsync("/v1/agents/test.echo/recall", TestAppliance.Json("""{"key":"wait"}"""));
        Assert.Equal("cancelled", (await TestAppliance.ReadJsonAsync(recall)).GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_client_that_goes_away_cancels_its_operation()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);
        using var caller = new CancellationTokenSource();

        var call = client.PostAsync("/v1/agents/test.echo/wait", TestAppliance.Json("{}"), caller.Token);
        await WaitForMemoryAsync(client, "wait", "started");
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await WaitForMemoryAsync(client, "wait", "cancelled");
    }

    [Fact]
    public async Task Agent_routes_need_a_valid_token()
    {
        await using var appliance = new TestAppliance();
        using var anonymous = appliance.CreateClient();
        using var wrong = appliance.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "nlps_admin_not-the-token");

        using var noToken = await anonymous.GetAsync("/v1/agents");
        using var badToken = await wrong.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal("unauthorized", (await TestAppliance.ReadJsonAsync(noToken)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
    }

    // The agent writes its progress to its store; the test reads it back through the agent's own operation.
    private static async Task WaitForMemoryAsync(HttpClient client, string key, string expected)
    {
        string? value = null;
        for (var attempt = 0; attempt < 500; attempt++)
        {
            using var recall = await client.PostAsync("/v1/agents/test.echo/recall", TestAppliance.Json($$"""{"key":"{{key}}"}"""));
            var body = await TestAppliance.ReadJsonAsync(recall);
            value = body.TryGetProperty("value", out var v) ? v.GetString() : null;
            if (value == expected)
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"the agent's '{key}' is '{value}', expected '{expected}' within 10 s");
    }
}
