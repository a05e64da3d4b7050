using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Encoders.Pooling;
using Nlps.Inference.Tensors;
using Nlps.Models.Estimation;
using Nlps.Models.Scheduling;
using Nlps.Models.Store;

namespace Nlps.Models.Deployments;

/// <summary>
/// The configured deployments, live: at start each is checked against the model store and its RAM estimated, then a
/// <see cref="ModelScheduler"/> over the CPU engine loads them on demand (pinned ones at once), evicts idle ones
/// least recently used first, and refuses with a reason and Retry-After when a request cannot be served.
/// </summary>
public sealed partial class ModelDeployments : IAsyncDisposable
{
    /// <summary>The device id the scheduler uses for the machine's RAM.</summary>
    public const string CpuDevice = "cpu";

    /// <summary>Most positions a deployment with MaxContext 0 gets, whatever the model allows (bounds KV memory).</summary>
    public const int DefaultContextCap = 8192;

    private readonly ModelDeploymentOptions _options;
    private readonly ModelStore _store;
    private readonly MemoryEstimator _estimator;
    private readonly CpuEngineBackend _backend;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DeploymentInfo> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmbeddingSide> _defaultSides = new(StringComparer.Ordinal);
    private ModelScheduler? _scheduler;

    public ModelDeployments(
        IOptions<ModelDeploymentOptions> options,
        ModelStore store,
        MemoryEstimator? estimator = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        _options = options.Value;
        _store = store;
        _estimator = estimator ?? new MemoryEstimator();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<ModelDeployments>();
        _backend = new CpuEngineBackend(_timeProvider, _loggerFactory.CreateLogger<CpuEngineBackend>());
    }

    /// <summary>The deployments, by name, once started.</summary>
    public IReadOnlyList<DeploymentInfo> List() => _deployments.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

    public DeploymentInfo? Find(string name) => _deployments.GetValueOrDefault(name);

    /// <summary>
    /// Checks every deployment against the model store, estimates its RAM and starts the scheduler; pinned
    /// deployments begin loading in the background. A deployment whose model is missing or whose MaxContext exceeds
    /// the model's limit throws <see cref="InvalidOperationException"/> naming the configuration key.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is not null)
        {
            return;
        }

        var scheduled = new List<ScheduledDeployment>();
        foreach ((string name, DeploymentOptions d) in _options.Deployments.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            string key = $"{ModelDeploymentOptions.SectionName}:Deployments:{name}";
            string folder = _store.ModelFolder(d.Model);
            if (!File.Exists(Path.Combine(folder, ModelManifest.FileName)))
            {
                throw new InvalidOperationException($"{key}:Model: model '{d.Model}' is not in the model store ({_store.Root}); import it first (nlpsctl models import) or change the configuration");
            }

            ModelManifest manifest = await _store.GetManifestAsync(d.Model, cancellationToken).ConfigureAwait(false);
            ModelProfile profile = await _store.LoadProfileAsync(d.Model, cancellationToken).ConfigureAwait(false);
            int limit = profile.Architecture.ContextLimit;
            if (d.MaxContext > limit)
            {
                throw new InvalidOperationException($"{key}:MaxContext {d.MaxContext} exceeds model '{d.Model}''s limit of {limit} tokens (config.json); fix the configuration");
            }

            int maxContext = d.MaxContext > 0 ? d.MaxContext : Math.Min(limit, DefaultContextCap);
            bool embedding = profile.Architecture.Family == ModelFamily.Encoder;
            DeploymentWeightFormat.TryParse(d.WeightFormat, out WeightFormat format);
            format = embedding ? WeightFormat.F32 : format;
            var shape = new WorkloadShape(DeploymentWeightFormat.ToQuantization(format, manifest.Dtype), maxContext, d.MaxConcurrency, KvCacheType.Fp32);
            long bytes = _estimator.EstimateCpu(profile, shape).PerDevice.TotalBytes;
            if (embedding)
            {
                bytes += await RegisterEncoderAsync(name, key, d, folder, shape, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _backend.Register(name, folder, new CpuEngineOptions { WeightFormat = format, MaxContextTokens = maxContext, Threads = d.Threads });
            }

            scheduled.Add(new ScheduledDeployment(
                name,
                d.Model,
                new Dictionary<string, long>(StringComparer.Ordinal) { [CpuDevice] = bytes },
                d.Pinned,
                d.KeepAlive,
                d.MaxConcurrency));
            _deployments[name] = new DeploymentInfo(name, d.Model, d.Roles.ToList(), maxContext, manifest.ImportedAt, embedding);
            Log.Configured(_logger, name, d.Model, format.ToString(), maxContext, bytes);
        }

        long capacity = _options.EffectiveCpuMemoryBytes;
        _scheduler = new ModelScheduler(
            new Dictionary<string, long>(StringComparer.Ordinal) { [CpuDevice] = capacity },
            scheduled,
            _backend,
            _options.Scheduler,
            _timeProvider,
            _loggerFactory.CreateLogger<ModelScheduler>());
        foreach (ScheduledDeployment pinned in scheduled.Where(s => s.Pinned))
        {
            _ = PinInBackgroundAsync(pinned.Id);
        }
    }

    /// <summary>
    /// A lease on the deployment's loaded model, loading it (and evicting idle ones) when needed. Dispose it when the
    /// request ends.
    /// </summary>
    /// <exception cref="ModelUnavailableException">Unknown deployment (404), or it cannot be served now (503, with Retry-After).</exception>
    public async Task<DeploymentLease> AcquireAsync(string deployment, CancellationToken cancellationToken)
    {
        ModelLease lease = await LeaseAsync(deployment, embedding: false, cancellationToken).ConfigureAwait(false);
        try
        {
            return new DeploymentLease(lease, _backend.Get(deployment));
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>A lease on an embedding deployment's loaded encoders; as <see cref="AcquireAsync"/> otherwise.</summary>
    /// <exception cref="ModelUnavailableException">Unknown deployment (404), a chat deployment, or it cannot be served now (503, with Retry-After).</exception>
    public async Task<EmbeddingLease> AcquireEmbeddingAsync(string deployment, CancellationToken cancellationToken)
    {
        ModelLease lease = await LeaseAsync(deployment, embedding: true, cancellationToken).ConfigureAwait(false);
        try
        {
            return new EmbeddingLease(lease, _backend.GetEncoder(deployment), _defaultSides[deployment]);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The deployment that serves <paramref name="role"/> for <paramref name="agentId"/>, or null with a reason.</summary>
    public string? ResolveRole(string agentId, string role, out string reason)
    {
        if (_options.Agents.TryGetValue(agentId, out Dictionary<string, string>? mapped) && mapped.TryGetValue(role, out string? chosen))
        {
            reason = string.Empty;
            return chosen;
        }

        if (_options.Roles.TryGetValue(role, out string? byDefault))
        {
            reason = string.Empty;
            return byDefault;
        }

        string? serving = _options.Deployments.Where(d => d.Value.Roles.Contains(role, StringComparer.Ordinal)).Select(d => d.Key).FirstOrDefault();
        reason = serving is null
            ? _options.Deployments.Count == 0
                ? "no model deployment is configured on this appliance"
                : $"no deployment lists role '{role}' (set {ModelDeploymentOptions.SectionName}:Roles:{role} or {ModelDeploymentOptions.SectionName}:Agents:{agentId}:{role})"
            : string.Empty;
        return serving;
    }

    /// <summary>The scheduler's live state; empty before start.</summary>
    public SchedulerStatus Status() => _scheduler?.Status() ?? new SchedulerStatus([], [], []);

    public async ValueTask DisposeAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync().ConfigureAwait(false);
        }

        _backend.Dispose();
    }

    private async Task<ModelLease> LeaseAsync(string deployment, bool embedding, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deployment);
        ModelScheduler scheduler = _scheduler
            ?? throw new ModelUnavailableException("starting", "the appliance is still starting its model deployments", _options.Scheduler.RetryAfter);
        if (Find(deployment) is { } known && known.IsEmbedding != embedding)
        {
            throw new ModelUnavailableException(
                "wrong_model_kind", $"deployment '{deployment}' is {(known.IsEmbedding ? "an embedding" : "a chat")} model", retryAfter: null);
        }

        return await scheduler.AcquireAsync(deployment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers an encoder deployment with the engine; returns the RAM of its separate query encoder (0 without one).</summary>
    private async Task<long> RegisterEncoderAsync(string name, string key, DeploymentOptions d, string folder, WorkloadShape shape, CancellationToken cancellationToken)
    {
        EmbeddingDeploymentOptions e = d.Embedding;
        string? queryFolder = null;
        long queryBytes = 0;
        if (!string.IsNullOrEmpty(e.QueryModel))
        {
            queryFolder = _store.ModelFolder(e.QueryModel);
            if (!File.Exists(Path.Combine(queryFolder, ModelManifest.FileName)))
            {
                throw new InvalidOperationException($"{key}:Embedding:QueryModel: model '{e.QueryModel}' is not in the model store ({_store.Root}); import it first or change the configuration");
            }

            ModelProfile queryProfile = await _store.LoadProfileAsync(e.QueryModel, cancellationToken).ConfigureAwait(false);
            queryBytes = _estimator.EstimateCpu(queryProfile, shape).PerDevice.TotalBytes;
        }

        var options = new EncoderEmbeddingModelOptions
        {
            Threads = d.Threads,
            DefaultPooling = new EmbeddingPooling(EmbeddingPooling.ParseMode(e.Pooling), e.Normalize),
            Truncation = EmbeddingDeploymentOptionsReader.Truncation(e),
        };
        _backend.RegisterEncoder(name, folder, queryFolder, options, e.QueryPrefix, e.PassagePrefix);
        _defaultSides[name] = EmbeddingDeploymentOptionsReader.DefaultSide(e);
        return queryBytes;
    }

    private async Task PinInBackgroundAsync(string deployment)
    {
        try
        {
            await _scheduler!.PinAsync(deployment, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A pinned load that fails is logged and recorded by the scheduler; requests then retry the load.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PinFailed(_logger, deployment, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1310, EventName = "DeploymentConfigured", Level = LogLevel.Information,
            Message = "Deployment {Deployment}: model {ModelId}, weights {Format}, context {MaxContext}, estimated {Bytes} bytes of RAM")]
        public static partial void Configured(ILogger logger, string deployment, string modelId, string format, int maxContext, long bytes);

        [LoggerMessage(EventId = 1311, EventName = "PinnedLoadFailed", Level = LogLevel.Error, Message = "Pinned deployment {Deployment} failed to load at start")]
        public static partial void PinFailed(ILogger logger, string deployment, Exception exception);
    }
}
