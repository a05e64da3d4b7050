using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Models.Engines.OpenAi;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Engines.Processes;

/// <summary>
/// Deployments served by supervised engine processes (vLLM, or <c>nlpsd engine serve</c>): a start runs the
/// deployment's command under an <see cref="EngineSupervisor"/> and completes when it is ready; a stop ends it.
/// Chat goes to the process's OpenAI-compatible API; while it restarts or after it faulted, calls are refused as
/// unavailable with the reason instead of hanging on a dead port.
/// </summary>
public sealed class ProcessEngineBackend : IEngineBackend, IEngineMetricsSource, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Registration> _registered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EngineSupervisor> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EngineHealth> _lastFault = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;

    /// <param name="http">Talks to the engines on loopback (health polls and chat); owned by the caller.</param>
    public ProcessEngineBackend(HttpClient http, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>Raised when a deployment's engine changes state (for tests and the admin view).</summary>
    public event Action<string, EngineHealth>? HealthChanged;

    public string Kind => "process";

    /// <summary>Says how deployment <paramref name="deploymentId"/> is started; call before the scheduler first loads it.</summary>
    /// <param name="servedModelName">The <c>model</c> the engine answers to (vLLM's --served-model-name).</param>
    public void Register(string deploymentId, EngineCommand command, string servedModelName, EngineProcessOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(deploymentId);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrEmpty(servedModelName);
        ArgumentNullException.ThrowIfNull(options);
        _registered[deploymentId] = new Registration(command, servedModelName, options);
    }

    /// <summary>The supervisor of a started deployment, or null.</summary>
    public EngineSupervisor? Supervisor(string deploymentId) => _running.GetValueOrDefault(deploymentId);

    public EngineHealth GetHealth(string deploymentId) =>
        _running.TryGetValue(deploymentId, out EngineSupervisor? supervisor) ? supervisor.Health : _lastFault.GetValueOrDefault(deploymentId, EngineHealth.Stopped);

    public IReadOnlyList<string> GetServedModelNames(string deploymentId) =>
        _registered.TryGetValue(deploymentId, out Registration? registration) ? [registration.ServedModelName] : [];

    public IChatClient GetChatClient(string deploymentId)
    {
        EngineSupervisor supervisor = Started(deploymentId);
        var inner = new OpenAiCompatibleChatClient(_http, supervisor.BaseAddress, _registered[deploymentId].ServedModelName);
        return new SupervisedChatClient(inner, supervisor, _registered[deploymentId].Options.InitialBackoff);
    }

    /// <summary>The process's <c>/v1/embeddings</c> (vLLM's pooling runner, or <c>nlpsd engine serve</c> with an encoder).</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string deploymentId)
    {
        EngineSupervisor supervisor = Started(deploymentId);
        var inner = new OpenAiCompatibleEmbeddingGenerator(_http, supervisor.BaseAddress, _registered[deploymentId].ServedModelName);
        return new SupervisedEmbeddingGenerator(inner, supervisor, _registered[deploymentId].Options.InitialBackoff);
    }

    /// <summary>Scrape timeout per engine, so one stuck engine cannot stall nlpsd's own scrape.</summary>
    public static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(2);

    public async Task<IReadOnlyList<(string Deployment, string Exposition)>> ScrapeEnginesAsync(CancellationToken cancellationToken)
    {
        var ready = _running.Values.Where(s => s.Health.State == EngineState.Ready).OrderBy(s => s.DeploymentId, StringComparer.Ordinal).ToList();
        string?[] pages = await Task.WhenAll(ready.Select(s => ScrapeAsync(s, cancellationToken))).ConfigureAwait(false);
        return ready.Zip(pages).Where(p => p.Second is not null).Select(p => (p.First.DeploymentId, p.Second!)).ToList();
    }

    public async Task LoadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        Registration registration = _registered.GetValueOrDefault(deployment.Id)
            ?? throw new InvalidOperationException($"deployment '{deployment.Id}' was never registered with the process back-end");
        var supervisor = new EngineSupervisor(
            deployment.Id, registration.Command, registration.Options, _http, _timeProvider, _loggerFactory.CreateLogger<EngineSupervisor>());
        supervisor.HealthChanged += health => HealthChanged?.Invoke(deployment.Id, health);
        if (!_running.TryAdd(deployment.Id, supervisor))
        {
            await supervisor.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"deployment '{deployment.Id}' is already started");
        }

        _lastFault.TryRemove(deployment.Id, out _);
        try
        {
            await supervisor.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _running.TryRemove(deployment.Id, out _);
            await supervisor.DisposeAsync().ConfigureAwait(false);
            _lastFault[deployment.Id] = supervisor.Health;
            throw;
        }
    }

    public async Task UnloadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (_running.TryRemove(deployment.Id, out EngineSupervisor? supervisor))
        {
            await supervisor.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (string id in _running.Keys)
        {
            if (_running.TryRemove(id, out EngineSupervisor? supervisor))
            {
                await supervisor.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<string?> ScrapeAsync(EngineSupervisor supervisor, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ScrapeTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(new Uri(supervisor.BaseAddress, "metrics"), linked.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private EngineSupervisor Started(string deploymentId) => _running.GetValueOrDefault(deploymentId)
        ?? throw new InvalidOperationException($"deployment '{deploymentId}' is not started (a lease must be held)");

    private sealed record Registration(EngineCommand Command, string ServedModelName, EngineProcessOptions Options);
}
