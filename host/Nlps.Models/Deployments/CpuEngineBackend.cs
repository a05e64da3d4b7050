using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Inference.Engine;
using Nlps.Models.Engines;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Deployments;

/// <summary>
/// The scheduler's back-end for the built-in CPU engine: a load reads the stored model folder into a
/// <see cref="CpuLanguageModel"/> (weights converted to the deployment's format), an unload frees it.
/// </summary>
public sealed partial class CpuEngineBackend : IEngineBackend, IDisposable
{
    private readonly ConcurrentDictionary<string, (string Folder, CpuEngineOptions Options)> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CpuLanguageModel> _loaded = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public CpuEngineBackend(TimeProvider? timeProvider = null, ILogger<CpuEngineBackend>? logger = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<CpuEngineBackend>.Instance;
    }

    /// <summary>Says where deployment <paramref name="deploymentId"/> is loaded from; call before the scheduler first loads it.</summary>
    public void Register(string deploymentId, string modelFolder, CpuEngineOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(deploymentId);
        ArgumentException.ThrowIfNullOrEmpty(modelFolder);
        ArgumentNullException.ThrowIfNull(options);
        _sources[deploymentId] = (modelFolder, options);
    }

    /// <summary>The loaded model of a deployment the caller holds a lease on.</summary>
    public ILanguageModel Get(string deploymentId) =>
        _loaded.TryGetValue(deploymentId, out CpuLanguageModel? model)
            ? model
            : throw new InvalidOperationException($"deployment '{deploymentId}' is not loaded (a lease must be held)");

    public string Kind => "cpu";

    public EngineHealth GetHealth(string deploymentId) => _loaded.ContainsKey(deploymentId) ? EngineHealth.Ready : EngineHealth.Stopped;

    public IReadOnlyList<string> GetServedModelNames(string deploymentId) => [deploymentId];

    public IChatClient GetChatClient(string deploymentId) => new LanguageModelChatClient(Get(deploymentId));

    /// <summary>None: the CPU engine's embedding models are served elsewhere.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string deploymentId) => null;

    public async Task LoadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (!_sources.TryGetValue(deployment.Id, out var source))
        {
            throw new InvalidOperationException($"deployment '{deployment.Id}' was never registered with the CPU engine");
        }

        long started = _timeProvider.GetTimestamp();
        CpuLanguageModel model = await Task.Run(() => CpuLanguageModel.Load(source.Folder, source.Options, _timeProvider), cancellationToken).ConfigureAwait(false);
        if (!_loaded.TryAdd(deployment.Id, model))
        {
            model.Dispose();
            throw new InvalidOperationException($"deployment '{deployment.Id}' is already loaded");
        }

        Log.Loaded(_logger, deployment.Id, source.Folder, model.Decoder.StreamedBytesPerToken, _timeProvider.GetElapsedTime(started).TotalSeconds);
    }

    public Task UnloadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (_loaded.TryRemove(deployment.Id, out CpuLanguageModel? model))
        {
            model.Dispose();
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (string id in _loaded.Keys)
        {
            if (_loaded.TryRemove(id, out CpuLanguageModel? model))
            {
                model.Dispose();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, EventName = "CpuModelLoaded", Level = LogLevel.Information,
            Message = "Deployment {DeploymentId} loaded from {Folder} into the CPU engine: {WeightBytes} weight bytes streamed per token in {Seconds:F1} s")]
        public static partial void Loaded(ILogger logger, string deploymentId, string folder, long weightBytes, double seconds);
    }
}
