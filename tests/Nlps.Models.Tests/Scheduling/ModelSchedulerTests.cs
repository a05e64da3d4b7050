using Nlps.Models.Estimation;
using Nlps.Models.Planning;
using Nlps.Models.Scheduling;
using Nlps.Testing;

namespace Nlps.Models.Tests.Scheduling;

public sealed class ModelSchedulerTests
{
    private static readonly Dictionary<string, long> OneGpu = new() { ["gpu0"] = 100 };
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Acquire_loads_on_demand_once_and_reuses_the_resident_model()
    {
        var backend = new RecordingBackend(OneGpu);
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("chat", 60));

        using (await scheduler.AcquireAsync("chat", CancellationToken.None))
        {
        }

        using (await scheduler.AcquireAsync("chat", CancellationToken.None))
        {
        }

        Assert.Equal(["load:chat"], backend.Calls);
        DeploymentStatus status = Assert.Single(scheduler.Status().Deployments);
        Assert.Equal((ResidencyState.Resident, 1, 0), (status.State, status.Loads, status.Active));
        Assert.Equal(60, scheduler.Status().Devices.Single().HeldBytes);
    }

    [Fact]
    public async Task Needing_memory_evicts_the_least_recently_used_idle_model_only()
    {
        var backend = new RecordingBackend(OneGpu);
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("a", 40), Deployment("b", 40), Deployment("c", 40));
        await UseAsync(scheduler, "a");
        _time.Advance(TimeSpan.FromSeconds(1));
        await UseAsync(scheduler, "b");
        _time.Advance(TimeSpan.FromSeconds(1));

        await UseAsync(scheduler, "c");

        Assert.Equal(["load:a", "load:b", "unload:a", "load:c"], backend.Calls);
        Assert.Equal(1, scheduler.Status().Deployments.Single(d => d.Id == "a").Evictions);
        Assert.Contains(scheduler.Status().Events, e => e is { Kind: "evicted", DeploymentId: "a" });
    }

    [Fact]
    public async Task Eviction_takes_the_fewest_models_that_free_enough_not_every_older_one()
    {
        var backend = new RecordingBackend(OneGpu);
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("s1", 20), Deployment("s2", 20), Deployment("big", 60), Deployment("new", 50));
        foreach (string id in new[] { "s1", "s2", "big" })
        {
            await UseAsync(scheduler, id);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await UseAsync(scheduler, "new");

        Assert.Equal(["unload:big"], backend.Calls.Where(c => c.StartsWith("unload", StringComparison.Ordinal)));
        Assert.Equal(90, scheduler.Status().Devices.Single().HeldBytes);
    }

    [Fact]
    public async Task Busy_and_pinned_models_are_never_evicted_and_a_waiter_loads_once_the_busy_one_is_released()
    {
        var backend = new RecordingBackend(OneGpu);
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("pinned", 50) with { Pinned = true }, Deployment("busy", 30), Deployment("next", 40));
        await scheduler.PinAsync("pinned", CancellationToken.None);
        ModelLease busy = await scheduler.AcquireAsync("busy", CancellationToken.None);

        Task<ModelLease> waiting = scheduler.AcquireAsync("next", CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, scheduler.Status().Deployments.Single(d => d.Id == "next").Waiting);
        Assert.DoesNotContain(backend.Calls, c => c.StartsWith("unload", StringComparison.Ordinal));
        busy.Dispose();
        using ModelLease next = await waiting;
        Assert.Equal(["load:pinned", "load:busy", "unload:busy", "load:next"], backend.Calls);
        Assert.Equal(ResidencyState.Resident, scheduler.Status().Deployments.Single(d => d.Id == "pinned").State);
    }

    [Fact]
    public async Task A_model_that_cannot_fit_beside_the_pinned_ones_is_refused_at_once_with_the_bytes_and_a_retry_after()
    {
        var backend = new RecordingBackend(OneGpu);
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("pinned", 70) with { Pinned = true }, Deployment("large", 40));
        await scheduler.PinAsync("pinned", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ModelUnavailableException>(() => scheduler.AcquireAsync("large", CancellationToken.None));

        Assert.Equal(("does_not_fit", 503), (ex.Code, ex.StatusCode));
        Assert.Equal(TimeSpan.FromSeconds(5), ex.RetryAfter);
        Assert.Contains("needs 40 bytes on gpu0, which has 100 usable of which pinned deployments hold 70", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["load:pinned"], backend.Calls);
    }

    [Fact]
    public async Task A_waiting_request_is_refused_with_retry_after_when_the_bounded_wait_runs_out()
    {
        var backend = new RecordingBackend(OneGpu);
        var options = new SchedulerOptions { MaxQueueWait = TimeSpan.FromSeconds(10), RetryAfter = TimeSpan.FromSeconds(7) };
        await using ModelScheduler scheduler = Create(backend, OneGpu, options, Deployment("busy", 60), Deployment("other", 60));
        using ModelLease busy = await scheduler.AcquireAsync("busy", CancellationToken.None);
        Task<ModelLease> waiting = scheduler.AcquireAsync("other", CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ModelUnavailableException>(() => waiting);
        Assert.Equal(("wait_timeout", TimeSpan.FromSeconds(7)), (ex.Code, ex.RetryAfter));
        Assert.Contains("busy or loading", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, scheduler.Status().Deployments.Single(d => d.Id == "other").Waiting);
    }

    [Fact]
    public async Task Requests_beyond_the_concurrency_limit_wait_and_beyond_the_queue_limit_are_refused()
    {
        var backend = new RecordingBackend(OneGpu);
        await using ModelScheduler scheduler = Create(backend, OneGpu, new SchedulerOptions { MaxQueuePerDeployment = 2 }, Deployment("chat", 10) with { MaxConcurrency = 1 });
        ModelLease first = await scheduler.AcquireAsync("chat", CancellationToken.None);
        Task<ModelLease> second = scheduler.AcquireAsync("chat", CancellationToken.None);
        Task<ModelLease> third = scheduler.AcquireAsync("chat", CancellationToken.None);

        var full = await Assert.ThrowsAsync<ModelUnavailableException>(() => scheduler.AcquireAsync("chat", CancellationToken.None));

        Assert.Equal("queue_full", full.Code);
        Assert.NotNull(full.RetryAfter);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second).Dispose();
        (await third).Dispose();
        Assert.Equal(["load:chat"], backend.Calls);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue()
    {
        var backend = new RecordingBackend(OneGpu);
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("chat", 10) with { MaxConcurrency = 1 });
        using ModelLease first = await scheduler.AcquireAsync("chat", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task<ModelLease> waiting = scheduler.AcquireAsync("chat", cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, scheduler.Status().Deployments.Single().Waiting);
    }

    [Fact]
    public async Task An_idle_model_unloads_after_its_keep_alive_and_use_restarts_the_clock_but_a_pinned_one_stays()
    {
        var backend = new RecordingBackend(OneGpu);
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("chat", 30) with { KeepAlive = TimeSpan.FromMinutes(5) }, Deployment("pinned", 30) with { Pinned = true });
        await scheduler.PinAsync("pinned", CancellationToken.None);
        await UseAsync(scheduler, "chat");

        _time.Advance(TimeSpan.FromMinutes(4));
        await UseAsync(scheduler, "chat");
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.DoesNotContain("unload:chat", backend.Calls);

        _time.Advance(TimeSpan.FromMinutes(1));
        await WaitForAsync(() => backend.Calls.Contains("unload:chat"));
        _time.Advance(TimeSpan.FromHours(10));

        Assert.Equal(["load:pinned", "load:chat", "unload:chat"], backend.Calls);
        Assert.Equal(30, scheduler.Status().Devices.Single().HeldBytes);
        Assert.Contains(scheduler.Status().Events, e => e is { Kind: "unloaded_idle", DeploymentId: "chat" });
    }

    [Fact]
    public async Task A_failed_load_tells_every_waiter_why_and_gives_its_bytes_back()
    {
        var backend = new RecordingBackend(OneGpu) { HoldLoads = true, FailLoadOf = "broken" };
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("broken", 80), Deployment("fine", 80));
        Task<ModelLease> first = scheduler.AcquireAsync("broken", CancellationToken.None);
        Task<ModelLease> second = scheduler.AcquireAsync("broken", CancellationToken.None);
        Assert.Equal(80, scheduler.Status().Devices.Single().HeldBytes);

        backend.FinishLoad("broken");

        foreach (Task<ModelLease> waiter in new[] { first, second })
        {
            var ex = await Assert.ThrowsAsync<ModelUnavailableException>(() => waiter);
            Assert.Equal("load_failed", ex.Code);
            Assert.Contains("CUDA out of memory", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, scheduler.Status().Devices.Single().HeldBytes);
        backend.FinishLoad("fine");
        using ModelLease fine = await scheduler.AcquireAsync("fine", CancellationToken.None);
        Assert.Equal(ResidencyState.Unloaded, scheduler.Status().Deployments.Single(d => d.Id == "broken").State);
    }

    [Fact]
    public async Task Bytes_count_from_the_start_of_a_load_so_a_second_model_waits_instead_of_overcommitting()
    {
        var backend = new RecordingBackend(OneGpu) { HoldLoads = true };
        await using ModelScheduler scheduler = Create(backend, OneGpu, Deployment("a", 60), Deployment("b", 60));
        Task<ModelLease> a = scheduler.AcquireAsync("a", CancellationToken.None);
        Task<ModelLease> b = scheduler.AcquireAsync("b", CancellationToken.None);

        Assert.Equal(60, scheduler.Status().Devices.Single().HeldBytes);
        backend.FinishLoad("a");
        (await a).Dispose();
        backend.FinishLoad("b");
        (await b).Dispose();

        Assert.Equal(["load:a", "unload:a", "load:b"], backend.Calls);
        Assert.Empty(backend.Violations);
    }

    [Fact]
    public async Task Unknown_deployment_is_a_404_without_retry_after()
    {
        await using ModelScheduler scheduler = Create(new RecordingBackend(OneGpu), OneGpu, Deployment("chat", 10));

        var ex = await Assert.ThrowsAsync<ModelUnavailableException>(() => scheduler.AcquireAsync("nope", CancellationToken.None));

        Assert.Equal(("deployment_unknown", 404, (TimeSpan?)null), (ex.Code, ex.StatusCode, ex.RetryAfter));
    }

    [Fact]
    public async Task Deployments_from_a_plan_hold_the_planned_bytes_on_every_tensor_parallel_device()
    {
        IReadOnlyList<PlanDevice> box = await Planning.Boxes.DevicesAsync("l40s-4x");
        var request = new DeploymentRequest("big", TestModels.Llama70B, new WorkloadShape(QuantizationMode.Bf16, 8192, 2));
        Placement placement = new PlacementPlanner().Plan(box, [request])["big"].Placement!;
        var capacity = box.ToDictionary(d => d.Id, d => d.AvailableBytes - (1L << 30));
        var backend = new RecordingBackend(capacity);
        await using ModelScheduler scheduler = Create(backend, capacity, ScheduledDeployment.FromPlacement(request, placement, "llama-3.1-70b-instruct"));

        using ModelLease lease = await scheduler.AcquireAsync("big", CancellationToken.None);

        Assert.Equal(4, placement.TensorParallel);
        Assert.All(scheduler.Status().Devices, d => Assert.Equal(placement.PerDevice.TotalBytes, d.HeldBytes));
        Assert.All(capacity.Keys, d => Assert.Equal(placement.PerDevice.TotalBytes, backend.Resident(d)));
    }

    // Many threads acquire and release at random over shared devices, with tensor-parallel deployments spanning two of
    // them. The check is the invariant, not timing: the back-end's own ledger never exceeds a device, every request is
    // served, and at the end the scheduler's held bytes equal what is actually loaded.
    [Fact]
    public async Task Concurrent_acquires_never_exceed_any_devices_bytes()
    {
        var capacity = new Dictionary<string, long> { ["gpu0"] = 100, ["gpu1"] = 100, ["gpu2"] = 100, ["cpu"] = 75 };
        ScheduledDeployment[] deployments =
        [
            Deployment("a", 45), Deployment("b", 35), Deployment("c", 60, "gpu1"), Deployment("d", 30, "gpu1"),
            new("tp", "m", new Dictionary<string, long> { ["gpu1"] = 40, ["gpu2"] = 40 }, MaxConcurrency: 2),
            Deployment("e", 70, "gpu2"), Deployment("f", 25, "gpu2") with { MaxConcurrency = 1 }, Deployment("g", 50, "cpu"),
            Deployment("h", 20, "cpu") with { Pinned = true }, Deployment("i", 30, "cpu"),
        ];
        var backend = new RecordingBackend(capacity, yieldEachCall: true);
        var options = new SchedulerOptions { MaxQueuePerDeployment = 1000, MaxQueueWait = TimeSpan.FromDays(1) };
        await using ModelScheduler scheduler = Create(backend, capacity, options, deployments);
        int served = 0;

        Task[] workers = Enumerable.Range(0, 24).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (int i = 0; i < 60; i++)
            {
                ScheduledDeployment pick = deployments[random.Next(deployments.Length)];
                using ModelLease lease = await scheduler.AcquireAsync(pick.Id, CancellationToken.None);
                Interlocked.Increment(ref served);
                await Task.Yield();
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.Empty(backend.Violations);
        Assert.Equal(24 * 60, served);
        SchedulerStatus status = scheduler.Status();
        Assert.All(status.Devices, d => Assert.InRange(d.HeldBytes, 0, d.CapacityBytes));
        Assert.All(status.Devices, d => Assert.Equal(backend.Resident(d.DeviceId), d.HeldBytes));
        Assert.All(status.Deployments, d => Assert.Equal((0, 0), (d.Active, d.Waiting)));
        int loads = backend.Calls.Count(c => c.StartsWith("load:", StringComparison.Ordinal));
        int unloads = backend.Calls.Count(c => c.StartsWith("unload:", StringComparison.Ordinal));
        Assert.Equal(status.Deployments.Count(d => d.State == ResidencyState.Resident), loads - unloads);
        Assert.True(unloads > 0, "the mix must force evictions, or the test proves nothing");
        Assert.Equal(0, status.Deployments.Single(d => d.Id == "h").Evictions);
    }

    private ModelScheduler Create(RecordingBackend backend, IReadOnlyDictionary<string, long> capacity, params ScheduledDeployment[] deployments) =>
        Create(backend, capacity, new SchedulerOptions(), deployments);

    private ModelScheduler Create(RecordingBackend backend, IReadOnlyDictionary<string, long> capacity, SchedulerOptions options, params ScheduledDeployment[] deployments) =>
        new(capacity, deployments, backend, options, _time);

    private static ScheduledDeployment Deployment(string id, long bytes, string device = "gpu0") =>
        new(id, id + "-model", new Dictionary<string, long> { [device] = bytes });

    private static async Task UseAsync(ModelScheduler scheduler, string id)
    {
        using ModelLease lease = await scheduler.AcquireAsync(id, CancellationToken.None);
    }

    // Unloads run on the back-end's own continuation; wait for the recorded call, bounded by a count of yields, not by time.
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 10_000 && !condition(); i++)
        {
            await Task.Yield();
        }

        Assert.True(condition());
    }
}
