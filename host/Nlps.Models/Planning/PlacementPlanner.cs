using System.Globalization;
using Nlps.Models.Estimation;

namespace Nlps.Models.Planning;

/// <summary>
/// Pure and deterministic: devices + wanted deployments → a placement or a refusal for each. Pinned deployments are
/// placed first, then larger before smaller (first-fit decreasing); each takes the smallest valid tensor-parallel degree
/// that fits and, among devices, the fullest that still has room (bin packing). A tensor-parallel group never uses a
/// device that already holds another group; nothing spills to the CPU unless the deployment allows it.
/// </summary>
public sealed class PlacementPlanner
{
    private readonly PlannerOptions _options;
    private readonly MemoryEstimator _estimator;

    public PlacementPlanner(PlannerOptions? options = null)
    {
        _options = options ?? new PlannerOptions();
        _estimator = new MemoryEstimator(_options.Estimator);
    }

    /// <summary>The reserves and estimator settings it plans with.</summary>
    public PlannerOptions Options => _options;

    public Plan Plan(IReadOnlyList<PlanDevice> devices, IReadOnlyList<DeploymentRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(requests);
        var state = new State(devices, _options);
        var outcomes = new Dictionary<string, PlanOutcome>(StringComparer.Ordinal);
        IEnumerable<DeploymentRequest> order = requests
            .OrderByDescending(r => r.Pinned)
            .ThenByDescending(r => WeightBytes.Total(r.Model.Weights, r.Workload.Quantization))
            .ThenBy(r => r.Id, StringComparer.Ordinal);
        foreach (DeploymentRequest request in order)
        {
            if (outcomes.ContainsKey(request.Id))
            {
                throw new ArgumentException($"deployment id '{request.Id}' is requested twice", nameof(requests));
            }

            outcomes[request.Id] = PlaceOne(request, state);
        }

        return new Plan(
            requests.Select(r => outcomes[r.Id]).ToList(),
            devices.Select(d => new DeviceUsage(d.Id, d.AvailableBytes, state.Reserve(d), state.Planned[d.Id])).ToList());
    }

    private PlanOutcome PlaceOne(DeploymentRequest request, State state)
    {
        if (MemoryEstimator.CheckContext(request.Model, request.Workload) is { } tooLong)
        {
            var fix = new FitSuggestion(SuggestionKind.ShorterContext, $"set max context to {request.Model.Architecture.ContextLimit}", request.Model.Architecture.ContextLimit);
            return Refused(request, new PlanRefusal(RefusalReason.ContextTooLong, tooLong, null, null, [], [fix]));
        }

        if (TryPlace(request, state) is { } placement)
        {
            state.Commit(placement);
            return new PlanOutcome(request.Id, placement, null);
        }

        return Refused(request, Explain(request, state));
    }

    private static PlanOutcome Refused(DeploymentRequest request, PlanRefusal refusal) => new(request.Id, null, refusal);

    private Placement? TryPlace(DeploymentRequest request, State state)
    {
        IReadOnlyList<PlanDevice> gpus = state.Allowed(request).Where(d => d.Kind != DeviceKind.Cpu).ToList();
        foreach (int tp in TensorParallelRules.Degrees)
        {
            if ((tp > 1 && !request.AllowTensorParallel) || TensorParallelRules.Check(request.Model.Architecture, request.Workload.Quantization, tp) is not null)
            {
                continue;
            }

            MemoryEstimate estimate = _estimator.EstimateGpu(request.Model, request.Workload, tp);
            long need = estimate.PerDevice.TotalBytes;
            List<PlanDevice> fitting = gpus
                .Where(d => (tp == 1 || (d.CanJoinTensorParallel && !state.TensorParallelOwned.Contains(d.Id))) && state.Remaining(d) >= need)
                .OrderBy(d => state.Remaining(d))
                .ThenBy(d => state.IndexOf(d))
                .Take(tp)
                .ToList();
            if (fitting.Count == tp)
            {
                return Build(estimate, fitting, state, onCpu: false);
            }
        }

        PlanDevice? cpu = state.Allowed(request).FirstOrDefault(d => d.Kind == DeviceKind.Cpu);
        if (request.AllowCpu && cpu is not null && CpuCanRun(request.Workload.Quantization))
        {
            MemoryEstimate estimate = _estimator.EstimateCpu(request.Model, request.Workload);
            if (state.Remaining(cpu) >= estimate.PerDevice.TotalBytes)
            {
                return Build(estimate, [cpu], state, onCpu: true);
            }
        }

        return null;
    }

    // The built-in engine runs bf16/f32 weights and int8; fp8 and 4-bit need GPU kernels.
    private static bool CpuCanRun(QuantizationMode mode) =>
        mode is QuantizationMode.Bf16 or QuantizationMode.Fp16 or QuantizationMode.Fp32 or QuantizationMode.Int8;

    private static Placement Build(MemoryEstimate estimate, List<PlanDevice> devices, State state, bool onCpu)
    {
        long spare = devices.Min(d => state.Remaining(d)) - estimate.PerDevice.TotalBytes;
        long extraTokens = estimate.KvBytesPerTokenPerDevice > 0 ? spare / estimate.KvBytesPerTokenPerDevice : 0;
        return new Placement(
            devices.Select(d => d.Id).ToList(),
            estimate.TensorParallel,
            onCpu,
            estimate.PerDevice,
            state.Reserve(devices[0]),
            estimate.KvBytesPerTokenPerDevice,
            estimate.KvTokens,
            estimate.KvTokens + extraTokens);
    }

    private PlanRefusal Explain(DeploymentRequest request, State state)
    {
        List<PlanDevice> allowed = state.Allowed(request).ToList();
        List<PlanDevice> gpus = allowed.Where(d => d.Kind != DeviceKind.Cpu).ToList();
        if (gpus.Count == 0 && !(request.AllowCpu && allowed.Any(d => d.Kind == DeviceKind.Cpu)))
        {
            return new PlanRefusal(RefusalReason.NoDevices, $"{request.Id}: no GPU it may use{(request.AllowCpu ? " and no CPU" : "; the CPU is not allowed for it")}", null, null, [], Suggest(request, state));
        }

        // State the gap at the largest degree the devices allow: the one closest to fitting.
        int groupable = gpus.Count(d => d.CanJoinTensorParallel && !state.TensorParallelOwned.Contains(d.Id));
        var reasons = new List<string>();
        int? chosen = null;
        foreach (int tp in TensorParallelRules.Degrees.Reverse())
        {
            if (tp > 1 && (!request.AllowTensorParallel || tp > groupable))
            {
                continue;
            }

            if (TensorParallelRules.Check(request.Model.Architecture, request.Workload.Quantization, tp) is { } invalid)
            {
                reasons.Add(invalid);
                continue;
            }

            chosen = tp;
            break;
        }

        if (chosen is not int degree || gpus.Count == 0)
        {
            string why = gpus.Count == 0 ? "the CPU engine cannot hold it" : string.Join("; ", reasons);
            return new PlanRefusal(RefusalReason.NoValidTensorParallel, $"{request.Id}: {why}", null, null, [], Suggest(request, state));
        }

        MemoryEstimate estimate = _estimator.EstimateGpu(request.Model, request.Workload, degree);
        long need = estimate.PerDevice.TotalBytes;
        List<DeviceShortfall> shortfalls = gpus
            .Where(d => degree == 1 || (d.CanJoinTensorParallel && !state.TensorParallelOwned.Contains(d.Id)))
            .OrderByDescending(d => state.Remaining(d))
            .ThenBy(d => state.IndexOf(d))
            .Take(degree)
            .Select(d => new DeviceShortfall(d.Id, need + state.Reserve(d), Math.Max(0, state.Remaining(d)) + state.Reserve(d)))
            .Where(s => s.ShortfallBytes > 0)
            .ToList();
        MemoryBreakdown b = estimate.PerDevice;
        long reserve = state.Reserve(gpus[0]);
        string gaps = string.Join("; ", shortfalls.Select(s => $"{s.DeviceId} has {Gib(s.AvailableBytes)} free, short {Gib(s.ShortfallBytes)}"));
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{request.Id} needs {Gib(need + reserve)} per GPU at tensor parallel {degree} (weights {Gib(b.WeightBytes)}, KV cache {Gib(b.KvCacheBytes)}, workspace {Gib(b.WorkspaceBytes)}, communication {Gib(b.CommunicationBytes)}, LoRA {Gib(b.LoraBytes)}, reserve {Gib(reserve)}): {gaps}");
        return new PlanRefusal(RefusalReason.DoesNotFit, message, degree, need + reserve, shortfalls, Suggest(request, state));
    }

    // Each suggestion is checked by planning the changed request against the same state: only changes that fit are offered.
    private List<FitSuggestion> Suggest(DeploymentRequest request, State state)
    {
        var suggestions = new List<FitSuggestion>();
        WorkloadShape w = request.Workload;
        bool hasKv = KvCache.BytesPerTokenPerRank(request.Model.Architecture, KvCacheType.Bf16, 1) > 0;
        if (hasKv && Largest(1, w.MaxContext - 1, c => Fits(request with { Workload = w with { MaxContext = c } }, state)) is int context)
        {
            suggestions.Add(new(SuggestionKind.ShorterContext, $"set max context to {context}", context));
        }

        if (hasKv && Largest(1, w.MaxSequences - 1, s => Fits(request with { Workload = w with { MaxSequences = s } }, state)) is int sequences)
        {
            suggestions.Add(new(SuggestionKind.FewerSequences, $"set max concurrent sequences to {sequences}", sequences));
        }

        if (hasKv && w.KvCache != KvCacheType.Fp8 && Fits(request with { Workload = w with { KvCache = KvCacheType.Fp8 } }, state))
        {
            suggestions.Add(new(SuggestionKind.Fp8KvCache, "use an fp8 KV cache"));
        }

        if (w.Quantization is not (QuantizationMode.Int8 or QuantizationMode.Int4 or QuantizationMode.Fp8)
            && Fits(request with { Workload = w with { Quantization = QuantizationMode.Int8 } }, state))
        {
            suggestions.Add(new(SuggestionKind.Int8Weights, "quantise weights to int8"));
        }

        if (w.Quantization != QuantizationMode.Int4 && Fits(request with { Workload = w with { Quantization = QuantizationMode.Int4 } }, state))
        {
            suggestions.Add(new(SuggestionKind.Int4Weights, "quantise weights to 4-bit (group 128)"));
        }

        if (!request.AllowTensorParallel && TryPlace(request with { AllowTensorParallel = true }, state) is { TensorParallel: > 1 } split)
        {
            suggestions.Add(new(SuggestionKind.LargerTensorParallel, $"allow tensor parallelism {split.TensorParallel}", split.TensorParallel));
        }

        return suggestions;
    }

    private bool Fits(DeploymentRequest request, State state) => TryPlace(request, state) is not null;

    // Need grows with context and sequences, so the largest fitting value is found by bisection.
    private static int? Largest(int low, int high, Func<int, bool> fits)
    {
        if (high < low || !fits(low))
        {
            return null;
        }

        while (low < high)
        {
            int mid = low + ((high - low + 1) / 2);
            if (fits(mid))
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    private static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB");

    private sealed class State
    {
        private readonly IReadOnlyList<PlanDevice> _devices;
        private readonly PlannerOptions _options;

        public State(IReadOnlyList<PlanDevice> devices, PlannerOptions options)
        {
            _devices = devices;
            _options = options;
            Planned = devices.ToDictionary(d => d.Id, _ => 0L, StringComparer.Ordinal);
        }

        public Dictionary<string, long> Planned { get; }

        public HashSet<string> TensorParallelOwned { get; } = new(StringComparer.Ordinal);

        public long Reserve(PlanDevice device) => device.Kind == DeviceKind.Cpu ? _options.CpuReserveBytes : _options.GpuReserveBytes;

        public long Remaining(PlanDevice device) => device.AvailableBytes - Reserve(device) - Planned[device.Id];

        public int IndexOf(PlanDevice device)
        {
            for (int i = 0; i < _devices.Count; i++)
            {
                if (_devices[i].Id == device.Id)
                {
                    return i;
                }
            }

            return -1;
        }

        public IEnumerable<PlanDevice> Allowed(DeploymentRequest request) =>
            request.AllowedDevices is null ? _devices : _devices.Where(d => request.AllowedDevices.Contains(d.Id));

        public void Commit(Placement placement)
        {
            foreach (string id in placement.Devices)
            {
                Planned[id] += placement.PerDevice.TotalBytes;
                if (placement.TensorParallel > 1)
                {
                    TensorParallelOwned.Add(id);
                }
            }
        }
    }
}
