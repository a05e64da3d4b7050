using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Seq2Seq;
using Nlps.Models.Engines;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Deployments;

/// <summary>
/// The scheduler's back-end for the built-in CPU engine: a load reads the stored model folder into a
/// <see cref="CpuLanguageModel"/> (weights converted to the deployment's format), or an embedding deployment's
/// encoders into a <see cref="DualEncoder"/>, or a seq2seq deployment's model into a <see cref="Seq2SeqTextModel"/>
/// (served through a <see cref="Seq2SeqChatClient"/>); an unload frees it.
/// </summary>
public sealed partial class CpuEngineBackend : IEngineBackend, IDisposable
{
    private readonly ConcurrentDictionary<string, (string Folder, CpuEngineOptions Options)> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EncoderSource> _encoderSources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Folder, Seq2SeqModelOptions Options)> _seq2seqSources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IDisposable> _loaded = new(StringComparer.Ordinal);
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

    /// <summary>Says that deployment <paramref name="deploymentId"/> is an embedding model and where its encoders are loaded from.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="passageFolder">The encoder for passages (and queries, without <paramref name="queryFolder"/>).</param>
    /// <param name="queryFolder">A separate query encoder (DPR), or null.</param>
    /// <param name="options">How the encoders are loaded.</param>
    /// <param name="queryPrefix">Put before queries.</param>
    /// <param name="passagePrefix">Put before passages.</param>
    /// <param name="defaultSide">The side of texts whose caller names none.</param>
    public void RegisterEncoder(
        string deploymentId, string passageFolder, string? queryFolder, EncoderEmbeddingModelOptions options, string queryPrefix, string passagePrefix, EmbeddingSide defaultSide)
    {
        ArgumentException.ThrowIfNullOrEmpty(deploymentId);
        ArgumentException.ThrowIfNullOrEmpty(passageFolder);
        ArgumentNullException.ThrowIfNull(options);
        _encoderSources[deploymentId] = new EncoderSource(passageFolder, queryFolder, options, queryPrefix, passagePrefix, defaultSide);
    }

    /// <summary>Says that deployment <paramref name="deploymentId"/> is a seq2seq model (BART) and where it is loaded from.</summary>
    public void RegisterSeq2Seq(string deploymentId, string modelFolder, Seq2SeqModelOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(deploymentId);
        ArgumentException.ThrowIfNullOrEmpty(modelFolder);
        ArgumentNullException.ThrowIfNull(options);
        _seq2seqSources[deploymentId] = (modelFolder, options);
    }

    /// <summary>The loaded decoder-only model of a deployment the caller holds a lease on, or null for a seq2seq one (reached through its chat client).</summary>
    public ILanguageModel? FindLanguageModel(string deploymentId) => _loaded.GetValueOrDefault(deploymentId) as ILanguageModel;

    /// <summary>The loaded model of a deployment the caller holds a lease on.</summary>
    public ILanguageModel Get(string deploymentId) => Loaded<ILanguageModel>(deploymentId);

    /// <summary>The loaded encoders of an embedding deployment the caller holds a lease on.</summary>
    public DualEncoder GetEncoder(string deploymentId) => Loaded<DualEncoder>(deploymentId);

    public string Kind => "cpu";

    public EngineHealth GetHealth(string deploymentId) => _loaded.ContainsKey(deploymentId) ? EngineHealth.Ready : EngineHealth.Stopped;

    public IReadOnlyList<string> GetServedModelNames(string deploymentId) => [deploymentId];

    public IChatClient GetChatClient(string deploymentId) => _loaded.GetValueOrDefault(deploymentId) is Seq2SeqTextModel seq2seq
        ? new Seq2SeqChatClient(seq2seq, deploymentId)
        : new LanguageModelChatClient(Get(deploymentId));

    /// <summary>The loaded encoders of an embedding deployment; null for a chat deployment.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? GetEmbeddingGenerator(string deploymentId) =>
        _encoderSources.TryGetValue(deploymentId, out EncoderSource? source)
            ? new EncoderEmbeddingGenerator(GetEncoder(deploymentId), deploymentId, source.DefaultSide)
            : null;

    public async Task LoadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        long started = _timeProvider.GetTimestamp();
        if (_encoderSources.TryGetValue(deployment.Id, out EncoderSource? encoder))
        {
            DualEncoder loaded = await Task.Run(() => LoadEncoders(encoder), cancellationToken).ConfigureAwait(false);
            Add(deployment.Id, loaded);
            Log.Loaded(_logger, deployment.Id, encoder.PassageFolder, loaded.WeightBytes, _timeProvider.GetElapsedTime(started).TotalSeconds);
            return;
        }

        if (_seq2seqSources.TryGetValue(deployment.Id, out var seq2seq))
        {
            Seq2SeqTextModel loaded = await Task.Run(() => Seq2SeqTextModel.Load(seq2seq.Folder, seq2seq.Options), cancellationToken).ConfigureAwait(false);
            Add(deployment.Id, loaded);
            Log.Loaded(_logger, deployment.Id, seq2seq.Folder, loaded.Model.WeightBytes, _timeProvider.GetElapsedTime(started).TotalSeconds);
            return;
        }

        if (!_sources.TryGetValue(deployment.Id, out var source))
        {
            throw new InvalidOperationException($"deployment '{deployment.Id}' was never registered with the CPU engine");
        }

        CpuLanguageModel model = await Task.Run(() => CpuLanguageModel.Load(source.Folder, source.Options, _timeProvider), cancellationToken).ConfigureAwait(false);
        Add(deployment.Id, model);
        Log.Loaded(_logger, deployment.Id, source.Folder, model.Decoder.StreamedBytesPerToken, _timeProvider.GetElapsedTime(started).TotalSeconds);
    }

    public Task UnloadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (_loaded.TryRemove(deployment.Id, out IDisposable? model))
        {
            model.Dispose();
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (string id in _loaded.Keys)
        {
            if (_loaded.TryRemove(id, out IDisposable? model))
            {
                model.Dispose();
            }
        }
    }

    private static DualEncoder LoadEncoders(EncoderSource source)
    {
        EncoderEmbeddingModel passage = EncoderEmbeddingModel.Load(source.PassageFolder, source.Options);
        EncoderEmbeddingModel? query = null;
        try
        {
            query = source.QueryFolder is null ? null : EncoderEmbeddingModel.Load(source.QueryFolder, source.Options);
            return new DualEncoder(passage, query, source.QueryPrefix, source.PassagePrefix);
        }
        catch
        {
            passage.Dispose();
            query?.Dispose();
            throw;
        }
    }

    private T Loaded<T>(string deploymentId)
        where T : class =>
        _loaded.TryGetValue(deploymentId, out IDisposable? model)
            ? model as T ?? throw new InvalidOperationException($"deployment '{deploymentId}' is not a {(typeof(T) == typeof(DualEncoder) ? "embedding" : "chat")} model")
            : throw new InvalidOperationException($"deployment '{deploymentId}' is not loaded (a lease must be held)");

    private void Add(string deploymentId, IDisposable model)
    {
        if (!_loaded.TryAdd(deploymentId, model))
        {
            model.Dispose();
            throw new InvalidOperationException($"deployment '{deploymentId}' is already loaded");
        }
    }

    private sealed record EncoderSource(
        string PassageFolder, string? QueryFolder, EncoderEmbeddingModelOptions Options, string QueryPrefix, string PassagePrefix, EmbeddingSide DefaultSide);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, EventName = "CpuModelLoaded", Level = LogLevel.Information,
            Message = "Deployment {DeploymentId} loaded from {Folder} into the CPU engine: {WeightBytes} weight bytes (streamed per token for a decoder) in {Seconds:F1} s")]
        public static partial void Loaded(ILogger logger, string deploymentId, string folder, long weightBytes, double seconds);
    }
}
