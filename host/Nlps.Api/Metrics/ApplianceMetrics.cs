using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Hardware.Snapshot;
using Nlps.Plugins.Management;
using Nlps.Plugins.Runtime;
using Nlps.Sdk.Manifest;

namespace Nlps.Api.Metrics;

/// <summary>
/// The appliance's own instruments on the <c>Nlps</c> meter (created through the host's <see cref="IMeterFactory"/>):
/// HTTP and agent requests, API key refusals, plugin states, build info, the process, and the GPUs of the hardware
/// snapshot when the hardware monitor runs. Names map to Prometheus as <see cref="Exposition.PrometheusNames"/> says.
/// </summary>
public sealed class ApplianceMetrics
{
    /// <summary>The meter name (also the prefix the exporter listens to).</summary>
    public const string MeterName = "Nlps";

    // ASP.NET Core's http.server.request.duration bounds; agent calls get longer ones (LLM work takes minutes).
    private static readonly double[] HttpBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly double[] AgentBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160, 320, 640];
    private static readonly PluginState[] States = Enum.GetValues<PluginState>();

    private readonly Counter<long> httpRequests;
    private readonly Histogram<double> httpDuration;
    private readonly Counter<long> agentRequests;
    private readonly Histogram<double> agentDuration;
    private readonly Counter<long> keyRejections;
    private readonly Counter<long> chatCompletions;
    private readonly Counter<long> chatTokens;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="services">For the plugin manager and the optional hardware snapshot (read when scraped).</param>
    public ApplianceMetrics(IMeterFactory meterFactory, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(services);
        var meter = meterFactory.Create(MeterName);
        httpRequests = meter.CreateCounter<long>("nlps.http.server.requests", "{request}", "HTTP requests by route template, method and status code.");
        httpDuration = meter.CreateHistogram("nlps.http.server.request.duration", "s", "HTTP request duration by route template and method.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HttpBounds });
        agentRequests = meter.CreateCounter<long>("nlps.agent.requests", "{request}", "Agent operation calls by agent, operation and HTTP status.");
        agentDuration = meter.CreateHistogram("nlps.agent.request.duration", "s", "Agent operation duration by agent and operation, to the end of the response.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AgentBounds });
        keyRejections = meter.CreateCounter<long>("nlps.api_key.rejections", "{request}", "Requests refused for an API key by reason (rate_limit).");
        chatCompletions = meter.CreateCounter<long>("nlps.chat.completions", "{request}", "OpenAI-compatible chat completions by deployment and outcome (stop, length, error, client_disconnect).");
        chatTokens = meter.CreateCounter<long>("nlps.chat.tokens", "{token}", "Tokens of OpenAI-compatible chat completions by deployment and kind (prompt, completion).");

        var version = typeof(ApplianceMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
        var commit = typeof(ApplianceMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+') is [_, var hash, ..] ? hash : "unknown";
        meter.CreateObservableGauge("nlps.build.info", () => new Measurement<int>(1, new("version", version), new("commit", commit), new("sdk_version", SdkCompatibility.Current.ToString()), new("runtime", Environment.Version.ToString())), description: "Always 1; the labels say which nlpsd (version, commit), SDK and .NET runtime run.");
        meter.CreateObservableGauge("nlps.plugin.state", () => PluginStates(services), description: "1 for the state each installed plugin is in, 0 for the others.");

        var process = Process.GetCurrentProcess();
        var startTime = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        meter.CreateObservableCounter("process.cpu.seconds", () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, "s", "User and system CPU time of nlpsd.");
        meter.CreateObservableGauge("process.resident_memory", () => Environment.WorkingSet, "By", "Resident memory of nlpsd.");
        meter.CreateObservableGauge("process.start_time", () => startTime, "s", "When nlpsd started, in seconds since the Unix epoch.");
        meter.CreateObservableGauge("nlps.dotnet.gc.heap_size", () => GC.GetTotalMemory(forceFullCollection: false), "By", "Managed heap in use.");

        meter.CreateObservableGauge("nlps.gpu.memory.used", () => Gpus(services, g => g.UsedBytes), "By", "GPU memory in use, from the last hardware snapshot.");
        meter.CreateObservableGauge("nlps.gpu.memory.total", () => Gpus(services, g => g.TotalBytes), "By", "GPU memory in total, from the last hardware snapshot.");
        meter.CreateObservableGauge("nlps.gpu.utilization.ratio", () => Gpus(services, g => g.UtilizationPercent / 100.0), description: "GPU utilisation 0..1, from the last hardware snapshot.");
        meter.CreateObservableGauge("nlps.gpu.temperature", () => Gpus(services, g => g.TemperatureCelsius), "Cel", "GPU temperature, from the last hardware snapshot.");
        meter.CreateObservableGauge("nlps.gpu.power", () => Gpus(services, g => g.PowerDrawWatts), "W", "GPU power draw, from the last hardware snapshot.");
    }

    /// <summary>Counts one finished HTTP request.</summary>
    /// <param name="route">The route template (never the raw path: bounded cardinality), or <c>unmatched</c>.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="statusCode">The response status.</param>
    /// <param name="elapsed">How long it took.</param>
    public void RecordHttp(string route, string method, int statusCode, TimeSpan elapsed)
    {
        httpRequests.Add(1, new("route", route), new("method", method), new("code", StatusText(statusCode)));
        httpDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("route", route), new("method", method));
    }

    /// <summary>Counts one call to an installed agent's operation.</summary>
    /// <param name="agent">The agent id.</param>
    /// <param name="operation">The operation (one the agent has).</param>
    /// <param name="statusCode">The response status (499 when the caller went away).</param>
    /// <param name="elapsed">How long it took.</param>
    public void RecordAgentCall(string agent, string operation, int statusCode, TimeSpan elapsed)
    {
        agentRequests.Add(1, new("agent", agent), new("operation", operation), new("status", StatusText(statusCode)));
        agentDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("agent", agent), new("operation", operation));
    }

    /// <summary>Counts a request refused by a key's rate limit.</summary>
    /// <param name="keyId">The key id (administrator-created, so bounded).</param>
    public void RecordRateLimited(string keyId) => keyRejections.Add(1, new("key_id", keyId), new("reason", "rate_limit"));

    /// <summary>Counts a chat completion that ran (generation started) and its tokens.</summary>
    /// <param name="deployment">The deployment name.</param>
    /// <param name="outcome">stop, length, error or client_disconnect.</param>
    /// <param name="promptTokens">Prompt tokens.</param>
    /// <param name="completionTokens">Tokens generated before it ended.</param>
    public void RecordChatCompletion(string deployment, string outcome, int promptTokens, int completionTokens)
    {
        chatTokens.Add(promptTokens, new("deployment", deployment), new("kind", "prompt"));
        chatTokens.Add(completionTokens, new("deployment", deployment), new("kind", "completion"));
        chatCompletions.Add(1, new("deployment", deployment), new("outcome", outcome));
    }

    private static string StatusText(int statusCode) => statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<Measurement<int>> PluginStates(IServiceProvider services)
    {
        var plugins = services.GetService<PluginManager>();
        if (plugins is null)
        {
            yield break;
        }

        foreach (var plugin in plugins.List())
        {
            foreach (var state in States)
            {
                yield return new Measurement<int>(plugin.State == state ? 1 : 0, new("plugin", plugin.Id), new("state", state.ToString().ToLowerInvariant()));
            }
        }
    }

    private static IEnumerable<Measurement<double>> Gpus(IServiceProvider services, Func<Hardware.Gpu.GpuDevice, double?> read)
    {
        var snapshot = services.GetService<IHardwareSnapshotSource>()?.Current;
        if (snapshot is null)
        {
            yield break;
        }

        foreach (var gpu in snapshot.Gpus.Devices)
        {
            if (read(gpu) is { } value)
            {
                yield return new Measurement<double>(value, new("gpu", gpu.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("uuid", gpu.Uuid));
            }
        }
    }
}
