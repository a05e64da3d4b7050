using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nlps.Api.Metrics.Exposition;
using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Engine;
using Nlps.Models.Engines;
using Nlps.Models.Engines.Processes;
using Nlps.Models.Scheduling;
using Nlps.Daemon.Tests.Support;
using Nlps.Testing;
using Nlps.Testing.Models;

namespace Nlps.Daemon.Tests.Engines;

/// <summary>
/// The process back-end with real processes: the built-in engine as its own process (<c>nlpsd engine serve</c>) and
/// small shell scripts that crash or never become healthy. Back-off and start timeouts run on a fake clock.
/// </summary>
public sealed class ProcessEngineBackendTests : IDisposable
{
    private const string Deployment = "tiny";
    private readonly TinyModel _model = TinyModel.Create(TinyModelSpec.Llama3);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_started_engine_process_answers_chat_through_the_scheduler_as_the_engine_itself_would()
    {
        await using var backend = new ProcessEngineBackend(_http);
        backend.Register(Deployment, EngineFixtures.BuiltinEngine(_model.Folder, EngineFixtures.FreePort()), Deployment, Fast());
        await using ModelScheduler scheduler = Scheduler(backend);

        string text;
        using (ModelLease lease = await scheduler.AcquireAsync(Deployment, CancellationToken.None))
        {
            text = (await ChatAsync(backend)).Text;
        }

        Assert.NotEmpty(text);
        Assert.Equal(await ExpectedAsync("안녕하세요", 6), text);
        Assert.Equal(EngineState.Ready, backend.GetHealth(Deployment).State);
        Assert.Equal([Deployment], backend.GetServedModelNames(Deployment));
    }

    [Fact]
    public async Task A_ready_engines_metrics_are_scraped_and_labelled_with_its_deployment()
    {
        await using var backend = new ProcessEngineBackend(_http);
        backend.Register(Deployment, EngineFixtures.BuiltinEngine(_model.Folder, EngineFixtures.FreePort()), Deployment, Fast());
        Assert.Empty(await backend.ScrapeEnginesAsync(CancellationToken.None));
        await backend.LoadAsync(new ScheduledDeployment(Deployment, "tiny-llama", new Dictionary<string, long> { ["gpu0"] = 1 }), CancellationToken.None);

        var (deployment, exposition) = Assert.Single(await backend.ScrapeEnginesAsync(CancellationToken.None));
        string merged = ExpositionMerger.Merge("# TYPE nlps_up gauge\nnlps_up 1\n", [(deployment, exposition)]);

        Assert.Equal(Deployment, deployment);
        Assert.StartsWith("# TYPE nlps_up gauge\nnlps_up 1\n", merged, StringComparison.Ordinal);
        Assert.Contains("nlps_build_info{deployment=\"tiny\",", merged, StringComparison.Ordinal);
        Assert.DoesNotContain("\nnlps_build_info{commit", merged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_killed_with_sigkill_is_restarted_after_the_back_off_and_serves_again()
    {
        await using var backend = new ProcessEngineBackend(_http);
        backend.Register(Deployment, EngineFixtures.BuiltinEngine(_model.Folder, EngineFixtures.FreePort()), Deployment, Fast());
        var changes = EngineFixtures.Watch(backend);
        await using ModelScheduler scheduler = Scheduler(backend);
        using ModelLease lease = await scheduler.AcquireAsync(Deployment, CancellationToken.None);
        await changes.UntilAsync(EngineState.Ready);
        int first = backend.Supervisor(Deployment)!.ProcessId!.Value;

        (await ProcessRunner.RunAsync("kill", ["-KILL", first.ToString(CultureInfo.InvariantCulture)])).EnsureSuccess("kill -KILL");
        List<EngineHealth> seen = await changes.UntilAsync(EngineState.Ready);

        Assert.Equal([EngineState.Restarting, EngineState.Starting, EngineState.Ready], seen.Select(h => h.State));
        Assert.Contains("killed by signal 9", seen[0].Detail, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromMilliseconds(200)], backend.Supervisor(Deployment)!.Backoffs);
        Assert.NotEqual(first, backend.Supervisor(Deployment)!.ProcessId);
        Assert.Equal(await ExpectedAsync("안녕하세요", 6), (await ChatAsync(backend)).Text);
    }

    [Fact]
    public async Task A_command_that_exits_at_once_is_faulted_after_the_crash_loop_limit_with_its_stderr()
    {
        var time = new FakeTimeProvider();
        await using var backend = new ProcessEngineBackend(_http, time);
        var options = new EngineProcessOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(3), CrashLoopLimit = 3 };
        backend.Register(Deployment, EngineFixtures.Script("echo 'loading weights'; echo 'CUDA error: out of memory' >&2; exit 3", EngineFixtures.FreePort()), Deployment, options);
        var changes = EngineFixtures.Watch(backend);
        await using ModelScheduler scheduler = Scheduler(backend);

        Task<ModelLease> acquire = scheduler.AcquireAsync(Deployment, CancellationToken.None);
        var backoffs = new List<TimeSpan>();
        EngineHealth health;
        do
        {
            health = (await changes.UntilAsync(EngineState.Restarting, EngineState.Faulted))[^1];
            if (health.State == EngineState.Restarting)
            {
                backoffs.Add(backend.Supervisor(Deployment)!.Backoffs[^1]);
                time.Advance(backoffs[^1]);
            }
        }
        while (health.State != EngineState.Faulted);

        var refused = await Assert.ThrowsAsync<ModelUnavailableException>(() => acquire);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], backoffs);
        Assert.Equal("load_failed", refused.Code);
        Assert.Contains("exited with code 3; after 3 restarts in a row it is faulted (crash loop)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA error: out of memory", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("loading weights", refused.Message, StringComparison.Ordinal);
        Assert.Equal(EngineState.Faulted, backend.GetHealth(Deployment).State);
        Assert.Contains("CUDA error: out of memory", backend.GetHealth(Deployment).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_processes_output_is_logged_under_its_deployment_scope()
    {
        var provider = new ScopeCapturingLoggerProvider();
        using ILoggerFactory logs = LoggerFactory.Create(logging => logging.AddProvider(provider));
        await using var backend = new ProcessEngineBackend(_http, TimeProvider.System, logs);
        backend.Register(
            Deployment, EngineFixtures.Script("echo 'weights 1 of 2'; echo 'CUDA warning: low memory' >&2; exit 3", EngineFixtures.FreePort()), Deployment, new EngineProcessOptions { CrashLoopLimit = 0 });
        await using ModelScheduler scheduler = Scheduler(backend);

        await Assert.ThrowsAsync<ModelUnavailableException>(() => scheduler.AcquireAsync(Deployment, CancellationToken.None));

        var lines = provider.Entries.Where(e => e.Message is "tiny stdout: weights 1 of 2" or "tiny stderr: CUDA warning: low memory").ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Contains(
            line.Scopes.OfType<IEnumerable<KeyValuePair<string, object>>>().SelectMany(scope => scope),
            pair => pair.Key == "Deployment" && Equals(pair.Value, Deployment)));
    }

    [Fact]
    public async Task An_engine_that_never_becomes_healthy_is_killed_at_the_start_timeout()
    {
        var time = new FakeTimeProvider();
        await using var backend = new ProcessEngineBackend(_http, time);
        var options = new EngineProcessOptions { StartTimeout = TimeSpan.FromMinutes(2) };
        backend.Register(Deployment, EngineFixtures.Script("echo 'loading 141 GB of weights' >&2; exec sleep 600", EngineFixtures.FreePort()), Deployment, options);
        var changes = EngineFixtures.Watch(backend);
        await using ModelScheduler scheduler = Scheduler(backend);

        Task<ModelLease> acquire = scheduler.AcquireAsync(Deployment, CancellationToken.None);
        await changes.UntilAsync(EngineState.Starting);
        int processId = backend.Supervisor(Deployment)!.ProcessId!.Value;

        // The supervisor arms its health-poll timer on the fake clock just after it reports Starting, so one Advance can
        // come before the timer exists; keep moving the clock until the start fails (however slow the machine is).
        while (!acquire.IsCompleted)
        {
            time.Advance(options.StartTimeout);
            await Task.WhenAny(acquire, Task.Delay(TimeSpan.FromMilliseconds(100)));
        }

        var refused = await Assert.ThrowsAsync<ModelUnavailableException>(() => acquire);
        Assert.Contains("did not answer /health within the start timeout of 00:02:00; it was killed", refused.Message, StringComparison.Ordinal);
        Assert.Contains("loading 141 GB of weights", refused.Message, StringComparison.Ordinal);
        Assert.False(IsRunning(processId), "the process that never became healthy is gone");
        Assert.Equal(EngineState.Faulted, backend.GetHealth(Deployment).State);
    }

    [Fact]
    public async Task A_port_another_process_listens_on_is_refused_with_a_clear_error_and_nothing_is_started()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var backend = new ProcessEngineBackend(_http);
        backend.Register(Deployment, EngineFixtures.BuiltinEngine(_model.Folder, port), Deployment, Fast());
        await using ModelScheduler scheduler = Scheduler(backend);

        var refused = await Assert.ThrowsAsync<ModelUnavailableException>(() => scheduler.AcquireAsync(Deployment, CancellationToken.None));

        Assert.Contains($"port {port} on 127.0.0.1 is already in use by another process", refused.Message, StringComparison.Ordinal);
        Assert.Equal(EngineState.Faulted, backend.GetHealth(Deployment).State);
    }

    [Fact]
    public async Task Stopping_a_deployment_ends_its_process_with_sigterm()
    {
        await using var backend = new ProcessEngineBackend(_http);
        backend.Register(Deployment, EngineFixtures.BuiltinEngine(_model.Folder, EngineFixtures.FreePort()), Deployment, Fast());
        var deployment = new ScheduledDeployment(Deployment, "tiny-llama", new Dictionary<string, long> { ["gpu0"] = 1 });
        await backend.LoadAsync(deployment, CancellationToken.None);
        int processId = backend.Supervisor(Deployment)!.ProcessId!.Value;

        await backend.UnloadAsync(deployment, CancellationToken.None);

        Assert.False(IsRunning(processId), "the engine process exited");
        Assert.Equal(EngineState.Stopped, backend.GetHealth(Deployment).State);
        var unavailable = Assert.Throws<InvalidOperationException>(() => backend.GetChatClient(Deployment));
        Assert.Contains("not started", unavailable.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _model.Dispose();
        _http.Dispose();
    }

    private static EngineProcessOptions Fast() => new()
    {
        HealthPollInterval = TimeSpan.FromMilliseconds(100),
        InitialBackoff = TimeSpan.FromMilliseconds(200),
        StopGrace = TimeSpan.FromSeconds(20),
    };

    private static ModelScheduler Scheduler(IModelBackend backend) => new(
        new Dictionary<string, long> { ["gpu0"] = 100 },
        [new ScheduledDeployment(Deployment, "tiny-llama", new Dictionary<string, long> { ["gpu0"] = 10 })],
        backend,
        new SchedulerOptions { MaxQueueWait = EngineFixtures.Guard });

    private static Task<ChatResponse> ChatAsync(IEngineBackend backend) =>
        backend.GetChatClient(Deployment).GetResponseAsync([new ChatMessage(ChatRole.User, "안녕하세요")], new ChatOptions { Temperature = 0, MaxOutputTokens = 6 });

    private async Task<string> ExpectedAsync(string user, int maxTokens)
    {
        using CpuLanguageModel reference = CpuLanguageModel.Load(_model.Folder, new CpuEngineOptions { Threads = 1 });
        var prompt = reference.EncodeChat([new ChatTurn("user", user)]);
        var (text, _, _) = await reference.GenerateAsync(prompt, new GenerationOptions { MaxTokens = maxTokens }, CancellationToken.None).CompleteAsync();
        return text;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
