using System.Collections.Concurrent;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Tests.Scheduling;

/// <summary>
/// Test double for an engine: none is wired yet (the CPU engine is being written on another branch). It records every
/// load and unload, keeps its own ledger of bytes actually resident per device and notes any moment it exceeds the
/// device's capacity. Loads can be held open (<see cref="HoldLoads"/>) or made to fail, and every call can yield so
/// that concurrent callers interleave.
/// </summary>
internal sealed class RecordingBackend(IReadOnlyDictionary<string, long> capacity, bool yieldEachCall = false) : IModelBackend
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _resident = capacity.Keys.ToDictionary(d => d, _ => 0L);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _heldLoads = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public bool HoldLoads { get; set; }

    public string? FailLoadOf { get; set; }

    public int MaxResidentModels { get; private set; }

    private int _residentModels;

    public async Task LoadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        if (yieldEachCall)
        {
            await Task.Yield();
        }

        if (HoldLoads)
        {
            await _heldLoads.GetOrAdd(deployment.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        if (FailLoadOf == deployment.Id)
        {
            Calls.Enqueue($"load-failed:{deployment.Id}");
            throw new InvalidOperationException("CUDA out of memory (simulated)");
        }

        lock (_gate)
        {
            foreach ((string device, long bytes) in deployment.BytesPerDevice)
            {
                _resident[device] += bytes;
                if (_resident[device] > capacity[device])
                {
                    Violations.Enqueue($"{device}: {_resident[device]} > {capacity[device]} after loading {deployment.Id}");
                }
            }

            MaxResidentModels = Math.Max(MaxResidentModels, ++_residentModels);
        }

        Calls.Enqueue($"load:{deployment.Id}");
    }

    public async Task UnloadAsync(ScheduledDeployment deployment, CancellationToken cancellationToken)
    {
        if (yieldEachCall)
        {
            await Task.Yield();
        }

        lock (_gate)
        {
            foreach ((string device, long bytes) in deployment.BytesPerDevice)
            {
                _resident[device] -= bytes;
            }

            _residentModels--;
        }

        Calls.Enqueue($"unload:{deployment.Id}");
    }

    public long Resident(string device)
    {
        lock (_gate)
        {
            return _resident[device];
        }
    }

    public void FinishLoad(string deploymentId) =>
        _heldLoads.GetOrAdd(deploymentId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
