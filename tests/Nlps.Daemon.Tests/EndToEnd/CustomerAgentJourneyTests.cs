using System.Net;
using System.Text;
using System.Text.Json;
using Nlps.Testing;

namespace Nlps.Daemon.Tests.EndToEnd;

/// <summary>
/// A customer's agent from nothing to production and back, with the published artifacts only: the SDK and template
/// packages, `dotnet new`, `nlpsctl pack`, and a running nlpsd administered with `nlpsctl`.
/// </summary>
public sealed class CustomerAgentJourneyTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_template_agent_is_packed_installed_invoked_upgraded_rolled_back_and_uninstalled()
    {
        using var work = new TempFolder("nlps-journey");
        var feed = work.Combine("feed");
        var environment = new Dictionary<string, string?>
        {
            // Isolated from the developer's own template registry and package cache, so the test sees exactly the
            // SDK it just packed and nothing a previous run left behind.
            ["DOTNET_CLI_HOME"] = work.Combine("home"),
            ["NUGET_PACKAGES"] = work.Combine("packages"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        await DotnetAsync(["pack", Path.Combine(RepositoryPaths.Root, "sdk", "Nlps.Sdk"), "-c", "Release", "-o", feed], work.Path, environment);
        await DotnetAsync(["pack", Path.Combine(RepositoryPaths.Root, "sdk", "Nlps.Sdk.Templates"), "-c", "Release", "-o", feed], work.Path, environment);
        await File.WriteAllTextAsync(work.Combine("nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="sdk" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        await DotnetAsync(["new", "install", Path.Combine(feed, $"Nlps.Sdk.Templates.{Nlps.Sdk.Manifest.SdkCompatibility.Current}.nupkg")], work.Path, environment);
        await DotnetAsync(["new", "nlps-agent", "-n", "Acme.Hello", "--agentId", "acme.hello", "-o", work.Combine("Acme.Hello")], work.Path, environment);

        await NlpsctlAsync(["keys", "generate", "--out", work.Combine("keys"), "--name", "acme"], work.Path, environment);
        var v1 = (await NlpsctlAsync(["pack", work.Combine("Acme.Hello"), "--key", work.Combine("keys", "acme.private.pem"), "-o", work.Combine("dist")], work.Path, environment)).StandardOutput.Trim();
        var v2 = (await NlpsctlAsync(["pack", work.Combine("Acme.Hello"), "--key", work.Combine("keys", "acme.private.pem"), "-o", work.Combine("dist"), "--version", "1.1.0"], work.Path, environment)).StandardOutput.Trim();
        Assert.EndsWith("acme.hello-1.0.0.nlpkg", v1, StringComparison.Ordinal);
        Assert.EndsWith("acme.hello-1.1.0.nlpkg", v2, StringComparison.Ordinal);

        await using var nlpsd = await NlpsdProcess.StartAsync(work.Combine("state"), "--Plugins:TrustedKeyFiles:0=" + work.Combine("keys", "acme.public.pem"));
        string[] connection = ["--url", nlpsd.BaseAddress.ToString(), "--token-file", Path.Combine(nlpsd.StateDirectory, "admin.token")];
        using var client = nlpsd.CreateAdminClient();

        var installed = await NlpsctlAsync(["plugins", "install", v1, .. connection], work.Path, environment);
        Assert.Contains("acme.hello", installed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(("안녕하세요, 세계!", "1.0.0"), await HelloAsync(client));

        await NlpsctlAsync(["plugins", "install", v2, .. connection], work.Path, environment);
        Assert.Equal(("안녕하세요, 세계!", "1.1.0"), await HelloAsync(client));

        await NlpsctlAsync(["plugins", "rollback", "acme.hello", .. connection], work.Path, environment);
        Assert.Equal(("안녕하세요, 세계!", "1.0.0"), await HelloAsync(client));

        var listed = await NlpsctlAsync(["plugins", "list", "--json", .. connection], work.Path, environment);
        using (var plugins = JsonDocument.Parse(listed.StandardOutput))
        {
            var plugin = Assert.Single(plugins.RootElement.EnumerateArray());
            Assert.Equal(["1.0.0", "1.1.0"], plugin.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        }

        using (var refused = await client.PostAsync("/v1/agents/acme.hello/hello", new StringContent("""{"name":" "}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("name_required", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await NlpsctlAsync(["plugins", "uninstall", "acme.hello", "--purge", .. connection], work.Path, environment);
        using var gone = await client.PostAsync("/v1/agents/acme.hello/hello", new StringContent("""{"name":"세계"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(0, (await nlpsd.TerminateAsync()).ExitCode);
    }

    [Fact]
    public async Task Nlpsctl_says_clearly_when_nlpsd_is_not_reachable_or_the_package_is_missing()
    {
        using var work = new TempFolder("nlps-cli");

        var unreachable = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["status", "--url", "http://127.0.0.1:9", "--token", "x"], work.Path, guard: Guard);
        var missing = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["plugins", "install", work.Combine("nothing.nlpkg"), "--url", "http://127.0.0.1:9", "--token", "x"], work.Path, guard: Guard);

        Assert.Equal(3, unreachable.ExitCode);
        Assert.StartsWith("error: unreachable: cannot reach nlpsd at http://127.0.0.1:9/", unreachable.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nothing.nlpkg does not exist", missing.StandardError, StringComparison.Ordinal);
    }

    private static async Task<(string? Message, string? Version)> HelloAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/v1/agents/acme.hello/hello", new StringContent("""{"name":"세계"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("message").GetString(), body.RootElement.GetProperty("version").GetString());
    }

    private static async Task<ProcessResult> DotnetAsync(string[] arguments, string workingDirectory, Dictionary<string, string?> environment) =>
        (await ProcessRunner.RunAsync("dotnet", arguments, workingDirectory, environment, Guard)).EnsureSuccess("dotnet " + arguments[0]);

    private static async Task<ProcessResult> NlpsctlAsync(string[] arguments, string workingDirectory, Dictionary<string, string?> environment) =>
        (await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, arguments, workingDirectory, environment, Guard)).EnsureSuccess("nlpsctl " + string.Join(' ', arguments.Take(2)));
}
