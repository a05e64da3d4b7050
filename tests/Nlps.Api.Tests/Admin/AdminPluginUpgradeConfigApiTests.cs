using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Admin;

/// <summary>
/// Upgrading a plugin whose configuration was saved through the admin API: the saved configuration is checked against
/// the new version's <c>configSchema</c> before the new version is moved into place. One that fits is kept as it was
/// (no schema defaults written in, as at a first install); one that does not is refused with 409 and every error, and
/// the old version keeps running with its configuration untouched in the state database.
/// </summary>
public sealed class AdminPluginUpgradeConfigApiTests
{
    [Fact]
    public async Task An_upgrade_whose_schema_accepts_the_saved_configuration_keeps_it_as_it_was()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        (await InstallAsync(appliance, client, "1.0.0", TestPlugins.EchoConfigSchema, HttpStatusCode.Created)).Dispose();
        await SaveConfigAsync(client, """{"greeting":"안녕하세요","repeat":2}""");

        // 1.1.0 adds an optional setting with a default.
        using var upgrade = await InstallAsync(appliance, client, "1.1.0", JsonElement.Parse("""
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["greeting"],
              "properties": {
                "greeting": { "type": "string", "minLength": 1, "maxLength": 20 },
                "repeat": { "type": "integer", "minimum": 1, "maximum": 5, "default": 1 },
                "signature": { "type": "string", "default": "— echo" }
              }
            }
            """), HttpStatusCode.Created);

        var status = await TestAppliance.ReadJsonAsync(upgrade);
        Assert.Equal(("1.1.0", "Running"), (status.GetProperty("version").GetString(), status.GetProperty("state").GetString()));
        Assert.Equal(("안녕하세요", "1.1.0"), await EchoAsync(client));
        Assert.Equal("""{"greeting":"안녕하세요","repeat":2}""", SavedConfig(appliance));
    }

    [Fact]
    public async Task An_upgrade_whose_schema_refuses_the_saved_configuration_is_409_with_every_error_and_changes_nothing()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        (await InstallAsync(appliance, client, "1.0.0", TestPlugins.EchoConfigSchema, HttpStatusCode.Created)).Dispose();
        await SaveConfigAsync(client, """{"greeting":"안녕하세요","tone":"warm"}""");

        // 1.1.0 makes "repeat" required, shortens "greeting" and drops the "warm" tone.
        using var refused = await InstallAsync(appliance, client, "1.1.0", JsonElement.Parse("""
            {
              "type": "object",
              "required": ["greeting", "repeat"],
              "properties": {
                "greeting": { "type": "string", "maxLength": 3 },
                "repeat": { "type": "integer" },
                "tone": { "enum": ["plain"] }
              }
            }
            """), HttpStatusCode.Conflict);

        var problem = await TestAppliance.ReadJsonAsync(refused);
        Assert.Equal("config_incompatible", problem.GetProperty("code").GetString());
        Assert.Equal(
            [("$.repeat", "required"), ("$.greeting", "maxLength"), ("$.tone", "enum")],
            problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("path").GetString(), e.GetProperty("keyword").GetString())));
        var detail = problem.GetProperty("detail").GetString();
        Assert.StartsWith("test.echo 1.1.0 was not installed: the saved configuration breaks its configSchema in 3 place(s): $.repeat: is required; ", detail, StringComparison.Ordinal);
        Assert.Contains("test.echo 1.0.0 stays active with its configuration unchanged", detail, StringComparison.Ordinal);

        var plugin = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/plugins/test.echo"));
        Assert.Equal(("1.0.0", "Running"), (plugin.GetProperty("version").GetString(), plugin.GetProperty("state").GetString()));
        Assert.Equal(["1.0.0"], plugin.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.False(Directory.Exists(Path.Combine(appliance.StateDirectory, "plugins", "test.echo", "1.1.0")));
        Assert.Equal(("안녕하세요", "1.0.0"), await EchoAsync(client));
        Assert.Equal("""{"greeting":"안녕하세요","tone":"warm"}""", SavedConfig(appliance));
        var audit = (await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/audit?action=plugin.install"))).EnumerateArray().First();
        Assert.Equal("Refused", audit.GetProperty("result").GetString());
        Assert.StartsWith("config_incompatible: ", audit.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> InstallAsync(TestAppliance appliance, HttpClient client, string version, JsonElement schema, HttpStatusCode expected)
    {
        var package = await appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: version) with { ConfigSchema = schema });
        var response = await appliance.UploadAsync(client, package);
        Assert.True(response.StatusCode == expected, $"{version}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static async Task SaveConfigAsync(HttpClient client, string config)
    {
        using var put = await client.PutAsync("/v1/admin/plugins/test.echo/config", TestAppliance.Json(config));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    private static async Task<(string? Greeting, string? Version)> EchoAsync(HttpClient client)
    {
        using var echo = await client.PostAsync("/v1/agents/test.echo/echo", TestAppliance.Json("""{"text":"x"}"""));
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        var body = await TestAppliance.ReadJsonAsync(echo);
        return (body.GetProperty("greeting").GetString(), body.GetProperty("version").GetString());
    }

    // Read from the state database itself, not through the API.
    private static string? SavedConfig(TestAppliance appliance)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(appliance.StateDirectory, "nlps.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM settings WHERE key = 'plugin-config:test.echo'";
        return command.ExecuteScalar() as string;
    }
}
