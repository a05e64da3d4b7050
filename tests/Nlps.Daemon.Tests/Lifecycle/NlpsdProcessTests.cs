using System.Net;
using System.Text;
using Nlps.Testing;

namespace Nlps.Daemon.Tests.Lifecycle;

public sealed class NlpsdProcessTests
{
    [Fact]
    public async Task Nlpsd_reports_status_then_ready_serves_http_and_stops_cleanly_on_sigterm()
    {
        using var state = new TempFolder("nlpsd-process");
        await using var nlpsd = await NlpsdProcess.StartAsync(state.Combine("state"));

        Assert.Contains(nlpsd.StartupNotifications, m => m.StartsWith("STATUS=opening the database", StringComparison.Ordinal));
        Assert.Contains(nlpsd.StartupNotifications, m => m.StartsWith("STATUS=loading plugins", StringComparison.Ordinal));
        using (var client = nlpsd.CreateAdminClient())
        {
            using var ready = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            using var status = await client.GetAsync("/v1/admin/status");
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        }

        var (exitCode, notifications) = await nlpsd.TerminateAsync();

        Assert.Contains(notifications, m => m.Contains("STOPPING=1", StringComparison.Ordinal));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Under_journald_logs_use_the_systemd_console_format_with_priorities()
    {
        using var state = new TempFolder("nlpsd-journal");
        var environment = new Dictionary<string, string?> { ["JOURNAL_STREAM"] = "8:12345" };
        await using var nlpsd = await NlpsdProcess.StartAsync(state.Combine("state"), environment);
        await nlpsd.TerminateAsync();

        var lines = nlpsd.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => line.StartsWith("<6>", StringComparison.Ordinal) && line.Contains("schema version", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("<4>", StringComparison.Ordinal) && line.Contains("admin.token", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("info:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_lets_a_call_in_flight_finish_before_the_process_exits()
    {
        using var folder = new TempFolder("nlpsd-drain");
        var packages = new PackageFactory(folder.Path);
        await using var nlpsd = await NlpsdProcess.StartAsync(folder.Combine("state"), "--Plugins:TrustedKeyFiles:0=" + packages.WriteTrustedKeyFile());
        using var client = nlpsd.CreateAdminClient();
        using (var upload = new ByteArrayContent(await File.ReadAllBytesAsync(await packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()))))
        {
            using var installed = await client.PostAsync("/v1/admin/plugins", upload);
            Assert.Equal(HttpStatusCode.Created, installed.StatusCode);
        }

        // A streaming call whose first event has arrived is in flight; SIGTERM must not cut it off.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/agents/test.echo/count") { Content = new StringContent("""{"to":20000}""", Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        Assert.StartsWith("data: {\"n\":1}", await reader.ReadLineAsync(), StringComparison.Ordinal);

        var termination = nlpsd.TerminateAsync();
        var rest = await reader.ReadToEndAsync();
        var (exitCode, _) = await termination;

        Assert.EndsWith("data: {\"n\":20000}\n\nevent: done\ndata: {}\n\n", rest, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
    }

    [Theory]
    [InlineData("--Http:Urls=ftp://127.0.0.1:21", "Http:Urls")]
    [InlineData("--Http:ShutdownTimeout=yesterday", "Http:ShutdownTimeout")]
    [InlineData("--AgentApi:OperationTimeout=00:00:00", "AgentApi:OperationTimeout")]
    [InlineData("--Plugins:MaxPackageBytes=10", "Plugins:MaxPackageBytes")]
    [InlineData("--Plugins:TrustedKeyFiles:0=/nonexistent/vendor.pem", "Plugins:TrustedKeyFiles:0")]
    [InlineData("--Plugins:BundledDirectory=/nonexistent/bundled", "Plugins:BundledDirectory")]
    [InlineData("--Models:Deployments:chat:WeightFormat=int3", "Models:Deployments:chat:WeightFormat")]
    [InlineData("--Models:Deployments:chat:MaxConcurrency=0", "Models:Deployments:chat:MaxConcurrency")]
    [InlineData("--Models:Roles:chat=nowhere", "Models:Roles:chat")]
    [InlineData("--Models:Deployments:ghost:Model=never-imported", "Models:Deployments:ghost:Model")]
    [InlineData("--Models:Deployments:gpu:Engine=tensorrt", "Models:Deployments:gpu:Engine")]
    [InlineData("--Models:Deployments:gpu:Engine=vllm", "Models:Engines:Vllm:Executable")]
    [InlineData("--Models:Deployments:far:Engine=remote", "Models:Deployments:far:Remote")]
    [InlineData("--Models:Remotes:cluster:BaseUrl=ftp://cluster.internal", "Models:Remotes:cluster:BaseUrl")]
    [InlineData("--Models:Remotes:cluster:ApiKeyFile=/nonexistent/key", "Models:Remotes:cluster:ApiKeyFile")]
    public async Task A_bad_configuration_value_stops_nlpsd_with_one_line_naming_the_key(string argument, string key)
    {
        using var state = new TempFolder("nlpsd-config");

        var result = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsd, ["--State:Directory=" + state.Combine("state"), "--Http:Urls=http://127.0.0.1:0", argument], guard: TimeSpan.FromSeconds(90));

        Assert.Equal(78, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nlpsd: configuration error:", line, StringComparison.Ordinal);
        Assert.Contains(key, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_configuration_file_named_explicitly_stops_nlpsd()
    {
        using var state = new TempFolder("nlpsd-config");

        var result = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsd, ["--config", state.Combine("missing.json")], guard: TimeSpan.FromSeconds(90));

        Assert.Equal(78, result.ExitCode);
        Assert.Contains("missing.json does not exist", result.StandardError, StringComparison.Ordinal);
    }
}
