using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nlps.Testing;

namespace Nlps.Daemon.Tests.EndToEnd;

/// <summary>
/// An operator upgrading a plugin with <c>nlpsctl plugins install</c> when the configuration saved for it does not fit
/// the new version's schema: nlpsctl fails and prints the refusal with every schema error, the same text the admin API
/// answers, and the old version keeps serving.
/// </summary>
public sealed class PluginUpgradeConfigJourneyTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Nlpsctl_prints_every_schema_error_of_a_refused_upgrade_and_the_old_version_keeps_serving()
    {
        using var work = new TempFolder("nlps-upgrade-config");
        var packages = new PackageFactory(work.Path);
        var v1 = await packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: "1.0.0") with { ConfigSchema = TestPlugins.EchoConfigSchema });
        var v2 = await packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: "1.1.0") with
        {
            ConfigSchema = JsonElement.Parse("""{"type":"object","required":["greeting","repeat"],"properties":{"greeting":{"type":"string"},"repeat":{"type":"integer"}}}"""),
        });
        await using var nlpsd = await NlpsdProcess.StartAsync(work.Combine("state"), "--Plugins:TrustedKeyFiles:0=" + packages.WriteTrustedKeyFile());
        string[] connection = ["--url", nlpsd.BaseAddress.ToString(), "--token-file", Path.Combine(nlpsd.StateDirectory, "admin.token")];
        using var client = nlpsd.CreateAdminClient();
        (await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["plugins", "install", v1, .. connection], work.Path, guard: Guard)).EnsureSuccess("nlpsctl plugins install");
        using (var put = await client.PutAsync("/v1/admin/plugins/test.echo/config", new StringContent("""{"greeting":"반갑습니다"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var refused = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["plugins", "install", v2, .. connection], work.Path, guard: Guard);
        string detail = await RefusalDetailAsync(client, v2);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"error: config_incompatible: {detail}", refused.StandardError.TrimEnd().Split('\n')[^1]);
        Assert.StartsWith("test.echo 1.1.0 was not installed: the saved configuration breaks its configSchema in 1 place(s): $.repeat: is required. ", detail, StringComparison.Ordinal);
        using var echo = await client.PostAsync("/v1/agents/test.echo/echo", new StringContent("""{"text":"x"}""", Encoding.UTF8, "application/json"));
        using var answer = JsonDocument.Parse(await echo.Content.ReadAsStringAsync());
        Assert.Equal(("반갑습니다", "1.0.0"), (answer.RootElement.GetProperty("greeting").GetString(), answer.RootElement.GetProperty("version").GetString()));
    }

    // The same upload through the admin API: its problem detail is what nlpsctl must have printed.
    private static async Task<string> RefusalDetailAsync(HttpClient client, string package)
    {
        using var upload = new ByteArrayContent(await File.ReadAllBytesAsync(package));
        upload.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync("/v1/admin/plugins", upload);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }
}
