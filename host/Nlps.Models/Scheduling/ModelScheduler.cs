using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nlps.Models.Scheduling;

/// <summary>
/// The live state of deployments on devices. <see cref="AcquireAsync"/> hands out a lease on a resident deployment,
/// loading it when needed; to make room it evicts idle, unpinned deployments, least recently used first, and only as
/// many as the devices short of bytes need. A deployment's bytes count against its devices from the moment its load
/// starts until its unload has finished, so the sum held on a device never exceeds its capacity. A request that cannot
/// be served waits in a bounded queue for a bounded time, then is refused with a reason and a Retry-After.
/// Requests waiting for memory are served first come, first served per device, so a large model is not starved by
/// smaller ones that keep arriving. Every state change happens under one lock; back-end calls run outside it.
/// </summary>
public sealed partial class ModelScheduler : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _capacity;
    private readonly Dictionary<string, long> _held;
    private readonly Dictionary<string, Residency> _deployments = new(StringComparer.Ordinal);
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Queue<SchedulerEvent> _events = new();
    private readonly IModelBackend _backend;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="deviceCapacity">Bytes the scheduler may hand out per device: free memory less the planner's reserve.</param>
    public ModelScheduler(
        IReadOnlyDictionary<string, long> deviceCapacity,
        IEnumerable<ScheduledDeployment> deployments,
        IModelBackend backend,
        SchedulerOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<ModelScheduler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(deviceCapacity);
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(backend);
        _capacity = new Dictionary<string, long>(deviceCapacity, StringComparer.Ordinal);
        _held = _capacity.Keys.ToDictionary(d => d, _ => 0L, StringComparer.Ordinal);
        _backend = backend;
        _options = options ?? new SchedulerOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ModelScheduler>.Instance;
        foreach (ScheduledDeployment deployment in deployments)
        {
            if (deployment.BytesPerDevice.Count == 0 || deployment.BytesPerDevice.Keys.FirstOrDefault(d => !_capacity.ContainsKey(d)) is { } unknown)
            {
                throw new ArgumentException($"deployment '{deployment.Id}' names no device or an unknown one", nameof(deployments));
            }

            if (deployment.MaxConcurrency < 1 || deployment.BytesPerDevice.Values.Any(b => b < 0))
            {
                throw new ArgumentException($"deployment '{deployment.Id}' needs a positive concurrency and non-negative bytes", nameof(deployments));
            }

            if (!_deployments.TryAdd(deployment.Id, new Residency(deployment)))
            {
                throw new ArgumentException($"deployment id '{deployment.Id}' appears twice", nameof(deployments));
            }
        }
    }

    /// <summary>A lease on the deployment once it is resident and has a free slot. Dispose the lease when the request ends.</summary>
    /// <exception cref="ModelUnavailableException">Unknown deployment, full queue, wait over, cannot fit beside pinned models, or the load failed.</exception>
    public async Task<ModelLease> AcquireAsync(string deploymentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deploymentId);
        Waiter waiter;
        List<Action> actions;
        lock (_gate)
        {
            if (!_deployments.TryGetValue(deploymentId, out Residency? target))
            {
                throw new ModelUnavailableException("deployment_unknown", $"no deployment '{deploymentId}'", retryAfter: null);
            }

            if (target.State == ResidencyState.Faulted)
            {
                throw Refuse(target, "unload_failed", $"{deploymentId} is out of service: its last unload failed and its memory state is unknown");
            }

            if (target.State == ResidencyState.Resident && target.Active < target.Deployment.MaxConcurrency && target.Waiting == 0)
            {
                return Grant(target);
            }

            if (target.Waiting >= _options.MaxQueuePerDeployment)
            {
                throw Refuse(target, "queue_full", $"{deploymentId} already has {target.Waiting} requests waiting (the limit)");
            }

            if (BlockedByPinned(target) is { } why)
            {
                throw Refuse(target, "does_not_fit", why);
            }

            waiter = new Waiter(target, this);
            waiter.Node = _waiters.AddLast(waiter);
            target.Waiting++;
            waiter.Timer = _timeProvider.CreateTimer(static state => ((Waiter)state!).Owner.Expire((Waiter)state!), waiter, _options.MaxQueueWait, Timeout.InfiniteTimeSpan);
            actions = Pump();
        }

        Run(actions);
        using CancellationTokenRegistration registration = cancellationToken.Register(static state =>
        {
            var w = (Waiter)state!;
            w.Owner.Remove(w, () => w.Completion.TrySetCanceled());
        }, waiter);
        return await waiter.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Marks the deployment pinned (never evicted nor unloaded when idle) and loads it.</summary>
    public async Task PinAsync(string deploymentId, CancellationToken cancellationToken)
    {
        SetPinned(deploymentId, pinned: true);
        using ModelLease lease = await AcquireAsync(deploymentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Clears the pin; the deployment then follows its keep-alive like any other.</summary>
    public void Unpin(string deploymentId) => SetPinned(deploymentId, pinned: false);

    /// <summary>Unloads the deployment now when it is resident, idle and unpinned: an operator freeing memory.</summary>
    /// <exception cref="ModelUnavailableException">Unknown deployment.</exception>
    public async Task<UnloadOutcome> UnloadNowAsync(string deploymentId)
    {
        Residency target;
        lock (_gate)
        {
            if (!_deployments.TryGetValue(deploymentId, out target!))
            {
                throw new ModelUnavailableException("deployment_unknown", $"no deployment '{deploymentId}'", retryAfter: null);
            }

            if (target.State != ResidencyState.Resident)
            {
                return UnloadOutcome.NotResident;
            }

            if (target.Pinned)
            {
                return UnloadOutcome.Pinned;
            }

            if (target.Active > 0 || target.Waiting > 0)
            {
                return UnloadOutcome.Busy;
            }

            target.State = ResidencyState.Unloading;
            DisarmIdle(target);
            Record("unloaded_by_operator", target, "asked on the admin API");
        }

        await UnloadAsync(target).ConfigureAwait(false);
        lock (_gate)
        {
            return target.State == ResidencyState.Faulted ? UnloadOutcome.Failed : UnloadOutcome.Unloaded;
        }
    }

    public SchedulerStatus Status()
    {
        lock (_gate)
        {
            return new SchedulerStatus(
                _capacity.Keys.Order(StringComparer.Ordinal).Select(d => new DeviceBudget(d, _capacity[d], _held[d])).ToList(),
                _deployments.Values.OrderBy(r => r.Deployment.Id, StringComparer.Ordinal).Select(r => new DeploymentStatus(
                    r.Deployment.Id, r.Deployment.ModelId, r.State, r.Pinned, r.Active, r.Waiting, r.LastUsed, r.Deployment.BytesPerDevice, r.Loads, r.Evictions)).ToList(),
                _events.ToList());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            foreach (Waiter waiter in _waiters)
            {
                waiter.Timer?.Dispose();
                waiter.Completion.TrySetCanceled();
            }

            _waiters.Clear();
            foreach (Residency residency in _deployments.Values)
            {
                residency.IdleTimer?.Dispose();
            }
        }

        _stopping.Dispose();
    }

    private void SetPinned(string deploymentId, bool pinned)
    {
        lock (_gate)
        {
            if (!_deployments.TryGetValue(deploymentId, out Residency? residency))
            {
                throw new ModelUnavailableException("deployment_unknown", $"no deployment '{deploymentId}'", retryAfter: null);
            }

            residency.Pinned = pinned;
            DisarmIdle(residency);
            if (!pinned && residency.State == ResidencyState.Resident && residency.Active == 0)
            {
                ArmIdle(residency);
            }
        }
    }

    // Serves waiters in arrival order: slots on resident deployments at once; loads when the bytes are free; evictions
    // when idle deployments hold them. A waiter that must wait for memory blocks later ones on its devices.
    private List<Action> Pump()
    {
        var actions = new List<Action>();
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        LinkedListNode<Waiter>? node = _waiters.First;
        while (node is not null)
        {
            LinkedListNode<Waiter>? next = node.Next;
            Waiter waiter = node.Value;
            Residency target = waiter.Target;
            switch (target.State)
            {
                case ResidencyState.Resident when target.Active < target.Deployment.MaxConcurrency:
                    Dequeue(waiter);
                    waiter.Completion.TrySetResult(Grant(target));
                    break;
                case ResidencyState.Faulted:
                    Dequeue(waiter);
                    waiter.Completion.TrySetException(Refuse(target, "unload_failed", $"{target.Deployment.Id} is out of service: its last unload failed"));
                    break;
                case ResidencyState.Unloaded when !target.Deployment.BytesPerDevice.Keys.Any(blocked.Contains):
                    if (Fits(target))
                    {
                        Hold(target, +1);
                        target.State = ResidencyState.Loading;
                        actions.Add(() => _ = LoadAsync(target));
                    }
                    else
                    {
                        foreach (Residency victim in ChooseVictims(target) ?? [])
                        {
                            victim.State = ResidencyState.Unloading;
                            victim.Evictions++;
                            DisarmIdle(victim);
                            Record("evicted", victim, $"to make room for {target.Deployment.Id}");
                            actions.Add(() => _ = UnloadAsync(victim));
                        }

                        blocked.UnionWith(target.Deployment.BytesPerDevice.Keys);
                    }

                    break;
                default:
                    break;
            }

            node = next;
        }

        return actions;
    }

    private bool Fits(Residency target) =>
        target.Deployment.BytesPerDevice.All(d => _held[d.Key] + d.Value <= _capacity[d.Key]);

    // The least recently used idle, unpinned deployments that free enough on every short device, then pruned so that
    // none can be spared; empty when memory already on its way out (unloads in flight) covers the need; null when no set does.
    private List<Residency>? ChooseVictims(Residency target)
    {
        var deficit = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach ((string device, long need) in target.Deployment.BytesPerDevice)
        {
            long leaving = _deployments.Values.Where(r => r.State == ResidencyState.Unloading).Sum(r => r.Deployment.BytesPerDevice.GetValueOrDefault(device));
            long gap = _held[device] - leaving + need - _capacity[device];
            if (gap > 0)
            {
                deficit[device] = gap;
            }
        }

        if (deficit.Count == 0)
        {
            return [];
        }

        List<Residency> candidates = _deployments.Values
            .Where(r => r != target && r.State == ResidencyState.Resident && r.Active == 0 && r.Waiting == 0 && !r.Pinned
                && r.Deployment.BytesPerDevice.Keys.Any(deficit.ContainsKey))
            .OrderBy(r => r.LastUsed ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.Deployment.Id, StringComparer.Ordinal)
            .ToList();
        var chosen = new List<Residency>();
        foreach (Residency candidate in candidates)
        {
            if (Covers(chosen, deficit))
            {
                break;
            }

            chosen.Add(candidate);
        }

        if (!Covers(chosen, deficit))
        {
            return null;
        }

        for (int i = chosen.Count - 1; i >= 0; i--)
        {
            Residency spared = chosen[i];
            chosen.RemoveAt(i);
            if (!Covers(chosen, deficit))
            {
                chosen.Insert(i, spared);
            }
        }

        return chosen;
    }

    private static bool Covers(List<Residency> chosen, Dictionary<string, long> deficit) =>
        deficit.All(d => chosen.Sum(r => r.Deployment.BytesPerDevice.GetValueOrDefault(d.Key)) >= d.Value);

    private string? BlockedByPinned(Residency target)
    {
        foreach ((string device, long need) in target.Deployment.BytesPerDevice)
        {
            long pinned = _deployments.Values
                .Where(r => r != target && (r.Pinned || r.State == ResidencyState.Faulted) && r.State != ResidencyState.Unloaded)
                .Sum(r => r.Deployment.BytesPerDevice.GetValueOrDefault(device));
            if (need > _capacity[device] - pinned)
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"{target.Deployment.Id} needs {need} bytes on {device}, which has {_capacity[device]} usable of which pinned deployments hold {pinned}");
            }
        }

        return null;
    }

    private async Task LoadAsync(Residency target)
    {
        List<Action> actions;
        try
        {
            await _backend.LoadAsync(target.Deployment, _stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The back-end is an engine: whatever it throws, its bytes must be given back and its waiters told.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LoadFailed(_logger, target.Deployment.Id, ex);
            lock (_gate)
            {
                Hold(target, -1);
                target.State = ResidencyState.Unloaded;
                Record("load_failed", target, ex.Message);
                FailWaiters(target, "load_failed", $"{target.Deployment.Id} failed to load: {ex.Message}", ex);
                actions = Pump();
            }

            Run(actions);
            return;
        }

        lock (_gate)
        {
            target.State = ResidencyState.Resident;
            target.Loads++;
            target.LastUsed = _timeProvider.GetUtcNow();
            Record("loaded", target, string.Join(", ", target.Deployment.BytesPerDevice.Select(d => $"{d.Key}: {d.Value} bytes")));
            actions = Pump();
            if (target.Active == 0 && !target.Pinned)
            {
                ArmIdle(target);
            }
        }

        Log.Loaded(_logger, target.Deployment.Id);
        Run(actions);
    }

    private async Task UnloadAsync(Residency target)
    {
        List<Action> actions;
        try
        {
            await _backend.UnloadAsync(target.Deployment, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As for loads: the failure is recorded and the bytes stay held, since nobody knows what was freed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.UnloadFailed(_logger, target.Deployment.Id, ex);
            lock (_gate)
            {
                target.State = ResidencyState.Faulted;
                Record("unload_failed", target, ex.Message);
                actions = Pump();
            }

            Run(actions);
            return;
        }

        lock (_gate)
        {
            Hold(target, -1);
            target.State = ResidencyState.Unloaded;
            actions = Pump();
        }

        Log.Unloaded(_logger, target.Deployment.Id);
        Run(actions);
    }

    private void Hold(Residency target, int sign)
    {
        foreach ((string device, long bytes) in target.Deployment.BytesPerDevice)
        {
            long held = _held[device] + (sign * bytes);
            if (held > _capacity[device] || held < 0)
            {
                throw new InvalidOperationException($"scheduler bug: {device} would hold {held} of {_capacity[device]} bytes");
            }

            _held[device] = held;
        }
    }

    private ModelLease Grant(Residency target)
    {
        target.Active++;
        target.LastUsed = _timeProvider.GetUtcNow();
        DisarmIdle(target);
        return new ModelLease(target.Deployment, Release);
    }

    private void Release(ModelLease lease)
    {
        List<Action> actions;
        lock (_gate)
        {
            Residency target = _deployments[lease.Deployment.Id];
            target.Active--;
            target.LastUsed = _timeProvider.GetUtcNow();
            actions = Pump();
            if (target.Active == 0 && !target.Pinned && target.State == ResidencyState.Resident)
            {
                ArmIdle(target);
            }
        }

        Run(actions);
    }

    private void ArmIdle(Residency target)
    {
        TimeSpan keepAlive = target.Deployment.KeepAlive ?? _options.DefaultKeepAlive;
        DisarmIdle(target);
        if (keepAlive == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        int generation = target.IdleGeneration;
        target.IdleTimer = _timeProvider.CreateTimer(_ => Idle(target, generation), null, keepAlive, Timeout.InfiniteTimeSpan);
    }

    private static void DisarmIdle(Residency target)
    {
        target.IdleGeneration++;
        target.IdleTimer?.Dispose();
        target.IdleTimer = null;
    }

    private void Idle(Residency target, int generation)
    {
        List<Action> actions = [];
        lock (_gate)
        {
            if (generation == target.IdleGeneration && target.State == ResidencyState.Resident && target.Active == 0 && target.Waiting == 0 && !target.Pinned)
            {
                target.State = ResidencyState.Unloading;
                DisarmIdle(target);
                Record("unloaded_idle", target, $"idle for {target.Deployment.KeepAlive ?? _options.DefaultKeepAlive}");
                actions.Add(() => _ = UnloadAsync(target));
            }
        }

        Run(actions);
    }

    private void Expire(Waiter waiter) =>
        Remove(waiter, () =>
        {
            Record("refused", waiter.Target, "wait_timeout");
            waiter.Completion.TrySetException(new ModelUnavailableException(
                "wait_timeout",
                $"{waiter.Target.Deployment.Id} could not be served within {_options.MaxQueueWait}: {Why(waiter.Target)}",
                _options.RetryAfter));
        });

    private void Remove(Waiter waiter, Action complete)
    {
        List<Action> actions;
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            Dequeue(waiter);
            complete();
            actions = Pump();
        }

        Run(actions);
    }

    private void Dequeue(Waiter waiter)
    {
        _waiters.Remove(waiter.Node!);
        waiter.Target.Waiting--;
        waiter.Timer?.Dispose();
    }

    private void FailWaiters(Residency target, string code, string message, Exception cause)
    {
        foreach (Waiter waiter in _waiters.Where(w => w.Target == target).ToList())
        {
            Dequeue(waiter);
            waiter.Completion.TrySetException(new ModelUnavailableException(code, message, _options.RetryAfter, cause));
        }
    }

    private string Why(Residency target) => target.State switch
    {
        ResidencyState.Resident => $"all {target.Deployment.MaxConcurrency} slots stayed busy",
        ResidencyState.Loading => "it was still loading",
        _ => "the memory it needs is held by deployments that are busy or loading",
    };

    private ModelUnavailableException Refuse(Residency target, string code, string message)
    {
        Record("refused", target, code);
        return new ModelUnavailableException(code, message, _options.RetryAfter);
    }

    private void Record(string kind, Residency target, string detail)
    {
        _events.Enqueue(new SchedulerEvent(_timeProvider.GetUtcNow(), kind, target.Deployment.Id, detail));
        while (_events.Count > _options.EventHistory)
        {
            _events.Dequeue();
        }
    }

    private static void Run(List<Action> actions)
    {
        foreach (Action action in actions)
        {
            action();
        }
    }

    private sealed class Residency(ScheduledDeployment deployment)
    {
        public ScheduledDeployment Deployment { get; } = deployment;

        public ResidencyState State { get; set; }

        public bool Pinned { get; set; } = deployment.Pinned;

        public int Active { get; set; }

        public int Waiting { get; set; }

        public DateTimeOffset? LastUsed { get; set; }

        public int Loads { get; set; }

        public int Evictions { get; set; }

        public ITimer? IdleTimer { get; set; }

        public int IdleGeneration { get; set; }
    }

    private sealed class Waiter(Residency target, ModelScheduler owner)
    {
        public ModelScheduler Owner { get; } = owner;

        public Residency Target { get; } = target;

        public TaskCompletionSource<ModelLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public ITimer? Timer { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, EventName = "ModelLoaded", Level = LogLevel.Information, Message = "Deployment {DeploymentId} loaded")]
        public static partial void Loaded(ILogger logger, string deploymentId);

        [LoggerMessage(EventId = 1202, EventName = "ModelUnloaded", Level = LogLevel.Information, Message = "Deployment {DeploymentId} unloaded")]
        public static partial void Unloaded(ILogger logger, string deploymentId);

        [LoggerMessage(EventId = 1203, EventName = "ModelLoadFailed", Level = LogLevel.Error, Message = "Deployment {DeploymentId} failed to load")]
        public static partial void LoadFailed(ILogger logger, string deploymentId, Exception exception);

        [LoggerMessage(EventId = 1204, EventName = "ModelUnloadFailed", Level = LogLevel.Error,
            Message = "Deployment {DeploymentId} failed to unload; its memory stays counted as held")]
        public static partial void UnloadFailed(ILogger logger, string deploymentId, Exception exception);
    }
}
