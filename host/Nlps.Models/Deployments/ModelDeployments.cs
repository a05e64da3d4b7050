using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nlps.Hardware.Snapshot;
using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Encoders.Pooling;
using Nlps.Inference.Tensors;
using Nlps.Models.Engines;
using Nlps.Models.Engines.Processes;
using Nlps.Models.Engines.Remote;
using Nlps.Models.Estimation;
using Nlps.Models.Planning;
using Nlps.Models.Scheduling;
using Nlps.Models.Store;

namespace Nlps.Models.Deployments;

/// <summary>
/// The configured deployments, live: at start each is checked against the model store and its memory estimated (RAM
/// for the CPU engine) or planned (GPUs for vLLM, whose command line comes from the placement); remote ones need
/// nothing here. Then a <see cref="ModelScheduler"/> over those engines loads them on demand (pinned ones at once),
/// evicts idle ones least recently used first, and refuses with a reason and Retry-After when a request cannot be served.
/// </summary>
public sealed partial class ModelDeployments : IServedModels, IEngineMetricsSource, IAsyncDisposable
{
    /// <summary>The device id the scheduler uses for the machine's RAM.</summary>
    public const string CpuDevice = "cpu";

    /// <summary>Most positions a deployment with MaxContext 0 gets, whatever the model allows (bounds KV memory).</summary>
    public const int DefaultContextCap = 8192;

    private readonly ModelDeploymentOptions _options;
    private readonly ModelStore _store;
    private readonly MemoryEstimator _estimator;
    private readonly EngineRouter _router = new();
    private readonly CpuEngineBackend _cpu;
    private readonly ProcessEngineBackend _processes;
    private readonly RemoteEngineBackend _remote = new();
    private readonly Dictionary<string, RemoteEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly PlacementPlanner _planner;
    private readonly IHardwareSnapshotSource? _hardware;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DeploymentInfo> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmbeddingDeploymentOptions> _enginePrefixes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CpuAdapters> _adapters = new(StringComparer.Ordinal);
    private ModelScheduler? _scheduler;
    private int _disposed;

    public ModelDeployments(
        IOptions<ModelDeploymentOptions> options,
        ModelStore store,
        MemoryEstimator? estimator = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        PlacementPlanner? planner = null,
        IHardwareSnapshotSource? hardware = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        _options = options.Value;
        _store = store;
        _estimator = estimator ?? new MemoryEstimator();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<ModelDeployments>();
        _cpu = new CpuEngineBackend(_timeProvider, _loggerFactory.CreateLogger<CpuEngineBackend>());
        _processes = new ProcessEngineBackend(_http, _timeProvider, _loggerFactory);
        _planner = planner ?? new PlacementPlanner();
        _hardware = hardware;
    }

    /// <summary>The deployments, by name, once started, each followed by its LoRA adapters (<c>deployment:adapter</c>).</summary>
    public IReadOnlyList<DeploymentInfo> List() => _deployments.Values
        .SelectMany(d => (d.Adapters ?? []).Select(a => AdapterInfo(d, a)).Prepend(d))
        .OrderBy(d => d.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>A deployment, or <c>deployment:adapter</c> of one of its LoRA adapters; null when there is no such model.</summary>
    public DeploymentInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!DeploymentAdapters.TrySplit(name, out string deployment, out string adapter))
        {
            return _deployments.GetValueOrDefault(name);
        }

        return _deployments.GetValueOrDefault(deployment) is { Adapters: { } adapters } info && adapters.Contains(adapter, StringComparer.Ordinal)
            ? AdapterInfo(info, adapter)
            : null;
    }

    /// <summary>
    /// Checks every deployment against the model store, estimates (CPU) or plans (GPU) its memory and starts the
    /// scheduler; pinned deployments begin loading in the background. A deployment whose model is missing, whose
    /// MaxContext exceeds the model's limit, or that does not fit the GPUs throws <see cref="InvalidOperationException"/>
    /// naming the configuration key.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is not null)
        {
            return;
        }

        var scheduled = new List<ScheduledDeployment>();
        var capacity = new Dictionary<string, long>(StringComparer.Ordinal) { [CpuDevice] = _options.EffectiveCpuMemoryBytes };
        var gpu = new List<(string Name, DeploymentOptions Options, ModelProfile Profile, WorkloadShape Workload)>();
        foreach ((string name, DeploymentOptions d) in _options.Deployments.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            string key = $"{ModelDeploymentOptions.SectionName}:Deployments:{name}";
            switch (EngineKind.Parse(d.Engine))
            {
                case EngineKind.Remote:
                    scheduled.Add(ConfigureRemote(name, d, capacity));
                    continue;
                case EngineKind.Vllm:
                    (ModelManifest gpuManifest, ModelProfile gpuProfile, int gpuContext) = await ReadModelAsync(key, d, cap: int.MaxValue, cancellationToken).ConfigureAwait(false);
                    if (gpuProfile.Weights.Source == "gguf")
                    {
                        throw new InvalidOperationException($"{key}:Engine: model '{d.Model}' is a GGUF file, which only the built-in CPU engine serves (Engine cpu)");
                    }

                    DeploymentWeightFormat.TryParse(d.WeightFormat, out WeightFormat gpuFormat);
                    LoraBudget? lora = d.Adapters.Count > 0 ? new LoraBudget(d.Adapters.Count, d.MaxLoraRank) : null;
                    var workload = new WorkloadShape(ToGpuQuantization(gpuFormat, gpuManifest.Dtype), gpuContext, d.MaxConcurrency, KvCacheType.Bf16, lora);
                    gpu.Add((name, d, gpuProfile, workload));
                    bool gpuEmbedding = gpuProfile.Architecture.Family == ModelFamily.Encoder;
                    _deployments[name] = new DeploymentInfo(name, d.Model, d.Roles.ToList(), gpuContext, gpuManifest.ImportedAt, gpuEmbedding);
                    if (gpuEmbedding)
                    {
                        _enginePrefixes[name] = d.Embedding;
                    }

                    continue;
            }

            (ModelManifest manifest, ModelProfile profile, int maxContext) = await ReadModelAsync(key, d, DefaultContextCap, cancellationToken).ConfigureAwait(false);
            bool embedding = profile.Architecture.Family == ModelFamily.Encoder;
            bool seq2seq = profile.Architecture.Family == ModelFamily.Seq2Seq;
            DeploymentWeightFormat.TryParse(d.WeightFormat, out WeightFormat format);
            format = embedding || seq2seq ? WeightFormat.F32 : format;
            string loadPath = _store.ModelLoadPath(d.Model);
            CpuAdapters adapters = await CpuAdapters.ResolveAsync(_store, key, d, manifest, cancellationToken).ConfigureAwait(false);
            int sequences = seq2seq ? Seq2SeqDeployment.CachedSequences(d) : d.MaxConcurrency;
            long? exactWeights = seq2seq ? Seq2SeqDeployment.WeightBytes(profile.Architecture) : CpuWeightBytes.Exact(loadPath, profile.Weights, format);
            var shape = new WorkloadShape(
                DeploymentWeightFormat.ToQuantization(format, manifest.Dtype), maxContext, sequences, KvCacheType.Fp32, adapters.Budget, exactWeights);
            long bytes = _estimator.EstimateCpu(profile, shape).PerDevice.TotalBytes;
            if (embedding)
            {
                bytes += await RegisterEncoderAsync(name, key, d, _store.ModelFolder(d.Model), shape, cancellationToken).ConfigureAwait(false);
            }
            else if (seq2seq)
            {
                _cpu.RegisterSeq2Seq(name, _store.ModelFolder(d.Model), Seq2SeqDeployment.ModelOptions(d, maxContext));
            }
            else
            {
                _cpu.Register(name, loadPath, new CpuEngineOptions
                {
                    WeightFormat = format,
                    MaxContextTokens = maxContext,
                    Threads = d.Threads,
                    Adapters = adapters.Unmerged,
                    MergedAdapter = adapters.MergedFolder,
                });
                _adapters[name] = adapters;
            }

            _router.Route(name, _cpu);
            scheduled.Add(new ScheduledDeployment(
                name,
                d.Model,
                new Dictionary<string, long>(StringComparer.Ordinal) { [CpuDevice] = bytes },
                d.Pinned,
                d.KeepAlive,
                d.MaxConcurrency));
            _deployments[name] = new DeploymentInfo(name, d.Model, d.Roles.ToList(), maxContext, manifest.ImportedAt, embedding, adapters.Served);
            Log.Configured(_logger, name, d.Model, format.ToString(), maxContext, bytes);
        }

        if (gpu.Count > 0)
        {
            scheduled.AddRange(await ConfigureGpuAsync(gpu, capacity, cancellationToken).ConfigureAwait(false));
        }

        _scheduler = new ModelScheduler(
            capacity,
            scheduled,
            _router,
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
        ArgumentException.ThrowIfNullOrEmpty(deployment);
        if (DeploymentAdapters.TrySplit(deployment, out string baseName, out string adapter))
        {
            return await AcquireAdapterAsync(deployment, baseName, adapter, cancellationToken).ConfigureAwait(false);
        }

        ModelLease lease = await LeaseAsync(deployment, embedding: false, cancellationToken).ConfigureAwait(false);
        try
        {
            IEngineBackend engine = _router.For(deployment);
            return new DeploymentLease(deployment, engine == _cpu ? _cpu.FindLanguageModel(deployment) : null, engine.GetChatClient(deployment), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    // A lease on the base deployment (adapters share its memory, queue and concurrency) with the adapter's view of the model.
    private async Task<DeploymentLease> AcquireAdapterAsync(string name, string deployment, string adapter, CancellationToken cancellationToken)
    {
        if (Find(name) is null)
        {
            string why = _deployments.GetValueOrDefault(deployment) is { } known
                ? $"deployment '{deployment}' has no adapter '{adapter}' (its adapters: {DeploymentAdapters.Describe(known.Adapters)})"
                : $"there is no deployment '{deployment}'";
            throw new ModelUnavailableException("deployment_unknown", $"no model '{name}': {why}", retryAfter: null);
        }

        ModelLease lease = await LeaseAsync(deployment, embedding: false, cancellationToken).ConfigureAwait(false);
        try
        {
            var model = (CpuLanguageModel)_cpu.Get(deployment);
            ILanguageModel adapted = _adapters[deployment].Merged == adapter ? model : model.WithAdapter(adapter);
            return new DeploymentLease(name, adapted, new LanguageModelChatClient(adapted), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static DeploymentInfo AdapterInfo(DeploymentInfo deployment, string adapter) =>
        new($"{deployment.Name}{DeploymentAdapters.Separator}{adapter}", $"{deployment.ModelId}{DeploymentAdapters.Separator}{adapter}", [], deployment.MaxContext, deployment.Created, Parent: deployment.Name);

    /// <summary>A lease on an embedding deployment's loaded encoders; as <see cref="AcquireAsync"/> otherwise.</summary>
    /// <exception cref="ModelUnavailableException">Unknown deployment (404), a chat deployment, or it cannot be served now (503, with Retry-After).</exception>
    public async Task<EmbeddingLease> AcquireEmbeddingAsync(string deployment, CancellationToken cancellationToken)
    {
        ModelLease lease = await LeaseAsync(deployment, embedding: true, cancellationToken).ConfigureAwait(false);
        try
        {
            IEngineBackend engine = _router.For(deployment);
            IEmbeddingGenerator<string, Embedding<float>> generator = engine.GetEmbeddingGenerator(deployment)
                ?? throw new InvalidOperationException($"the {engine.Kind} engine serves no embeddings for deployment '{deployment}'");
            if (_enginePrefixes.TryGetValue(deployment, out EmbeddingDeploymentOptions? sides))
            {
                generator = new PrefixingEmbeddingGenerator(generator, EmbeddingDeploymentOptionsReader.DefaultSide(sides), sides.QueryPrefix, sides.PassagePrefix);
            }

            return new EmbeddingLease(deployment, generator, lease);
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

    /// <summary>Pins the deployment (never evicted nor unloaded when idle) and waits until it is loaded.</summary>
    /// <exception cref="ModelUnavailableException">Unknown deployment, or it cannot be loaded now.</exception>
    public Task PinAsync(string deployment, CancellationToken cancellationToken) => Scheduler.PinAsync(deployment, cancellationToken);

    /// <summary>Clears a pin; the deployment then follows its keep-alive.</summary>
    public void Unpin(string deployment) => Scheduler.Unpin(deployment);

    /// <summary>Loads the deployment now (it then stays until its keep-alive ends) so the first request does not wait.</summary>
    public async Task LoadAsync(string deployment, CancellationToken cancellationToken)
    {
        using ModelLease lease = await Scheduler.AcquireAsync(deployment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unloads an idle, unpinned deployment now.</summary>
    public Task<UnloadOutcome> UnloadAsync(string deployment) => Scheduler.UnloadNowAsync(deployment);

    public Task<IReadOnlyList<(string Deployment, string Exposition)>> ScrapeEnginesAsync(CancellationToken cancellationToken) =>
        _processes.ScrapeEnginesAsync(cancellationToken);

    /// <summary>The scheduler's live state with each deployment's engine state; empty before start.</summary>
    public SchedulerStatus Status()
    {
        SchedulerStatus status = _scheduler?.Status() ?? new SchedulerStatus([], [], []);
        return status with
        {
            Deployments = status.Deployments.Select(d => d with { Engine = EngineStatus(d.Id) }).ToList(),
        };
    }

    private DeploymentEngineStatus EngineStatus(string deployment)
    {
        IEngineBackend engine = _router.For(deployment);
        EngineHealth health = engine.GetHealth(deployment);
        return new DeploymentEngineStatus(engine.Kind, health.State.ToString(), health.Detail);
    }

    private ModelScheduler Scheduler => _scheduler
        ?? throw new ModelUnavailableException("starting", "the appliance is still starting its model deployments", _options.Scheduler.RetryAfter);

    /// <summary>Stops the engines; safe to call twice (the host disposes it as itself and as <see cref="IServedModels"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync().ConfigureAwait(false);
        }

        await _processes.DisposeAsync().ConfigureAwait(false);
        _cpu.Dispose();
        foreach (RemoteEndpoint endpoint in _endpoints.Values)
        {
            endpoint.Dispose();
        }

        _http.Dispose();
    }

    private async Task<(ModelManifest Manifest, ModelProfile Profile, int MaxContext)> ReadModelAsync(string key, DeploymentOptions d, int cap, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(_store.ModelFolder(d.Model), ModelManifest.FileName)))
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

        return (manifest, profile, d.MaxContext > 0 ? d.MaxContext : Math.Min(limit, cap));
    }

    private ScheduledDeployment ConfigureRemote(string name, DeploymentOptions d, Dictionary<string, long> capacity)
    {
        string remote = d.Remote!;
        if (!_endpoints.TryGetValue(remote, out RemoteEndpoint? endpoint))
        {
            endpoint = new RemoteEndpoint(remote, _options.Remotes[remote], _timeProvider);
            _endpoints[remote] = endpoint;
        }

        // A remote model takes no memory here; its device only groups it for the admin view.
        string device = "remote:" + remote;
        capacity[device] = 0;
        _remote.Register(name, endpoint, d.Model);
        _router.Route(name, _remote);
        bool embedding = DeploymentTask.IsEmbedding(d.Task) == true;
        _deployments[name] = new DeploymentInfo(name, d.Model, d.Roles.ToList(), d.MaxContext, _timeProvider.GetUtcNow(), embedding);
        if (embedding)
        {
            _enginePrefixes[name] = d.Embedding;
        }

        Log.ConfiguredRemote(_logger, name, d.Model, remote, endpoint.BaseAddress.ToString());
        return new ScheduledDeployment(name, d.Model, new Dictionary<string, long>(StringComparer.Ordinal) { [device] = 0 }, d.Pinned, d.KeepAlive, d.MaxConcurrency);
    }

    private async Task<List<ScheduledDeployment>> ConfigureGpuAsync(
        List<(string Name, DeploymentOptions Options, ModelProfile Profile, WorkloadShape Workload)> gpu,
        Dictionary<string, long> capacity,
        CancellationToken cancellationToken)
    {
        IHardwareSnapshotSource hardware = _hardware
            ?? throw new InvalidOperationException("vLLM deployments need the hardware snapshot; this host has none (configuration)");
        HardwareSnapshot snapshot = hardware.Current ?? await hardware.RefreshAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PlanDevice> devices = PlanDevices.FromSnapshot(snapshot, includeCpu: false);
        Plan plan = _planner.Plan(devices, gpu.Select(g => new DeploymentRequest(g.Name, g.Profile, g.Workload, g.Options.Pinned)).ToList());
        foreach (PlanDevice device in devices)
        {
            capacity[device.Id] = Math.Max(0, device.AvailableBytes - _planner.Options.GpuReserveBytes);
        }

        var scheduled = new List<ScheduledDeployment>();
        foreach ((string name, DeploymentOptions d, ModelProfile profile, WorkloadShape workload) in gpu)
        {
            string key = $"{ModelDeploymentOptions.SectionName}:Deployments:{name}";
            Placement placement = plan[name].Placement
                ?? throw new InvalidOperationException($"{key}: the GPUs cannot hold it: {plan[name].Refusal!.Message}; fix the configuration (MaxContext, MaxConcurrency, WeightFormat) or free GPU memory");
            long total = placement.Devices.Min(id => snapshot.Gpus.Devices.Single(g => $"gpu{g.Index}" == id).TotalBytes);
            var vllm = new VllmDeployment(
                name,
                _store.ModelFolder(d.Model),
                profile.Architecture.Family,
                workload,
                placement,
                total,
                d.Adapters.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new LoraModule(a.Key, a.Value)).ToList(),
                d.Port > 0 ? d.Port : FreeLoopbackPort());
            EngineCommand command = VllmCommandBuilder.Build(vllm, _options.Engines.Vllm);
            _processes.Register(name, command, name, _options.Engines.Vllm.Supervision);
            _router.Route(name, _processes);
            scheduled.Add(ScheduledDeployment.FromPlacement(new DeploymentRequest(name, profile, workload, d.Pinned), placement, d.Model, d.KeepAlive, d.MaxConcurrency));
            Log.ConfiguredGpu(_logger, name, d.Model, string.Join(',', placement.Devices), placement.TensorParallel, placement.PerDevice.TotalBytes, command.ToString());
        }

        return scheduled;
    }

    private static QuantizationMode ToGpuQuantization(WeightFormat format, string? checkpointDtype) => format switch
    {
        WeightFormat.F32 => QuantizationMode.Fp32,
        WeightFormat.BF16 => QuantizationMode.Bf16,
        WeightFormat.Int8 => QuantizationMode.Int8,
        WeightFormat.Int4 => QuantizationMode.Int4,
        _ => checkpointDtype is "float16" or "F16" ? QuantizationMode.Fp16 : checkpointDtype is "float32" or "F32" ? QuantizationMode.Fp32 : QuantizationMode.Bf16,
    };

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task<ModelLease> LeaseAsync(string deployment, bool embedding, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deployment);
        if (Find(deployment) is { } known && known.IsEmbedding != embedding)
        {
            throw new ModelUnavailableException(
                "wrong_model_kind", $"deployment '{deployment}' is {(known.IsEmbedding ? "an embedding" : "a chat")} model", retryAfter: null);
        }

        return await Scheduler.AcquireAsync(deployment, cancellationToken).ConfigureAwait(false);
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
        _cpu.RegisterEncoder(name, folder, queryFolder, options, e.QueryPrefix, e.PassagePrefix, EmbeddingDeploymentOptionsReader.DefaultSide(e));
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

        [LoggerMessage(EventId = 1312, EventName = "DeploymentConfiguredRemote", Level = LogLevel.Information,
            Message = "Deployment {Deployment}: model {Model} on remote endpoint {Remote} ({BaseUrl})")]
        public static partial void ConfiguredRemote(ILogger logger, string deployment, string model, string remote, string baseUrl);

        [LoggerMessage(EventId = 1313, EventName = "DeploymentConfiguredGpu", Level = LogLevel.Information,
            Message = "Deployment {Deployment}: model {ModelId} on {Devices} (tensor parallel {TensorParallel}), {Bytes} bytes per GPU, vLLM: {Command}")]
        public static partial void ConfiguredGpu(ILogger logger, string deployment, string modelId, string devices, int tensorParallel, long bytes, string command);

        [LoggerMessage(EventId = 1311, EventName = "PinnedLoadFailed", Level = LogLevel.Error, Message = "Pinned deployment {Deployment} failed to load at start")]
        public static partial void PinFailed(ILogger logger, string deployment, Exception exception);
    }
}
