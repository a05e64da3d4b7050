using System.Net;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Admin;

public sealed class AdminPluginConfigApiTests
{
    [Fact]
    public async Task A_valid_configuration_is_saved_the_agent_restarts_with_it_and_the_change_is_audited()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await InstallEchoWithSchemaAsync(appliance, client);

        var before = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/plugins/test.echo/config"));
        Assert.Equal("file", before.GetProperty("source").GetString());
        Assert.Equal("object", before.GetProperty("schema").GetProperty("type").GetString());

        using (var put = await client.PutAsync("/v1/admin/plugins/test.echo/config", TestAppliance.Json("""{"greeting":"안녕하세요","repeat":2}""")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("Running", (await TestAppliance.ReadJsonAsync(put)).GetProperty("state").GetString());
        }

        Assert.Equal("안녕하세요", await GreetingAsync(client));
        var after = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/plugins/test.echo/config"));
        Assert.Equal("saved", after.GetProperty("source").GetString());
        Assert.Equal(2, after.GetProperty("config").GetProperty("repeat").GetInt32());
        var audit = Assert.Single((await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/audit?action=plugin.config"))).EnumerateArray());
        Assert.Equal("Ok", audit.GetProperty("result").GetString());
        Assert.Equal("test.echo", audit.GetProperty("target").GetString());
    }

    [Fact]
    public async Task An_invalid_configuration_is_refused_with_every_error_and_nothing_changes()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await InstallEchoWithSchemaAsync(appliance, client);
        (await client.PutAsync("/v1/admin/plugins/test.echo/config", TestAppliance.Json("""{"greeting":"첫 인사"}"""))).Dispose();

        using var put = await client.PutAsync("/v1/admin/plugins/test.echo/config", TestAppliance.Json("""{"repeat":9,"tone":"loud","colour":"red"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var problem = await TestAppliance.ReadJsonAsync(put);
        Assert.Equal("config_invalid", problem.GetProperty("code").GetString());
        Assert.Equal(
            [("$.greeting", "required"), ("$.repeat", "maximum"), ("$.tone", "enum"), ("$.colour", "additionalProperties")],
            problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("path").GetString(), e.GetProperty("keyword").GetString())));
        Assert.Contains("$.repeat: must be at most 5, not 9", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal("첫 인사", await GreetingAsync(client));
        var saved = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/plugins/test.echo/config"));
        Assert.Equal("""{"greeting":"첫 인사"}""", saved.GetProperty("config").GetRawText());
        var audit = (await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/audit?action=plugin.config"))).EnumerateArray().First();
        Assert.Equal("Refused", audit.GetProperty("result").GetString());
        Assert.Contains("$.colour", audit.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "invalid_json")]
    [InlineData("", "invalid_json")]
    public async Task A_body_that_is_not_json_is_refused(string body, string code)
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        await InstallEchoWithSchemaAsync(appliance, client);

        using var put = await client.PutAsync("/v1/admin/plugins/test.echo/config", TestAppliance.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal(code, (await TestAppliance.ReadJsonAsync(put)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_plugin_is_not_found_for_reading_and_writing()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();

        using var get = await client.GetAsync("/v1/admin/plugins/no.such/config");
        using var put = await client.PutAsync("/v1/admin/plugins/no.such/config", TestAppliance.Json("{}"));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal("plugin_not_found", (await TestAppliance.ReadJsonAsync(put)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_plugin_without_a_schema_shows_its_file_configuration_and_refuses_edits()
    {
        await using var appliance = new TestAppliance(new Dictionary<string, string?> { ["Agents:test.echo:greeting"] = "파일에서" });
        using var client = appliance.CreateAdminClient();
        await appliance.InstallEchoAsync(client);

        var view = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/plugins/test.echo/config"));
        using var put = await client.PutAsync("/v1/admin/plugins/test.echo/config", TestAppliance.Json("""{"greeting":"바꿈"}"""));

        Assert.False(view.TryGetProperty("schema", out _));
        Assert.Equal("파일에서", view.GetProperty("config").GetProperty("greeting").GetString());
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Equal("config_schema_missing", (await TestAppliance.ReadJsonAsync(put)).GetProperty("code").GetString());
        Assert.Equal("파일에서", await GreetingAsync(client));
    }

    private static async Task InstallEchoWithSchemaAsync(TestAppliance appliance, HttpClient client)
    {
        var package = await appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo() with { ConfigSchema = TestPlugins.EchoConfigSchema });
        using var response = await appliance.UploadAsync(client, package);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<string?> GreetingAsync(HttpClient client)
    {
        using var echo = await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"x"}"""));
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        return (await TestAppliance.ReadJsonAsync(echo)).GetProperty("greeting").GetString();
    }
}
