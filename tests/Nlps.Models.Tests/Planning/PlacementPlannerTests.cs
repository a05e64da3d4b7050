using System.Text.Json;
using Nlps.Models.Estimation;
using Nlps.Models.Planning;

namespace Nlps.Models.Tests.Planning;

public sealed class PlacementPlannerTests
{
    private const long MiB = TestModels.MiB;
    private const long GiB = TestModels.GiB;
    private const long L40SFree = 45469 * MiB;
    private const long Workspace = 2560 * MiB;
    private const long Nccl = 512 * MiB;

    private readonly PlacementPlanner _planner = new();

    private static DeploymentRequest Request(string id, ModelProfile model, int context, int sequences, QuantizationMode mode = QuantizationMode.Bf16) =>
        new(id, model, new WorkloadShape(mode, context, sequences));

    [Fact]
    public async Task Llama70B_bf16_does_not_fit_one_L40S_and_the_shortfall_is_exact()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("l40s-4x");
        DeploymentRequest request = Request("llama70b", TestModels.Llama70B, 8192, 1) with { AllowedDevices = ["gpu0"] };

        PlanRefusal refusal = _planner.Plan(box, [request])["llama70b"].Refusal!;

        long need = 141_107_412_992 + (327_680L * 8192) + Workspace;
        Assert.Equal(RefusalReason.DoesNotFit, refusal.Reason);
        Assert.Equal(1, refusal.TensorParallel);
        DeviceShortfall gap = Assert.Single(refusal.Shortfalls);
        Assert.Equal("gpu0", gap.DeviceId);
        Assert.Equal(need + GiB, gap.RequiredBytes);
        Assert.Equal(L40SFree, gap.AvailableBytes);
        Assert.Equal(need + GiB - L40SFree, gap.ShortfallBytes);
        Assert.Contains("gpu0 has 44.40 GiB free", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Llama70B_bf16_takes_tensor_parallel_4_on_four_L40S_and_states_its_kv_tokens()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("l40s-4x");

        Placement p = _planner.Plan(box, [Request("llama70b", TestModels.Llama70B, 8192, 4)])["llama70b"].Placement!;

        const long norms = ((80 * 2) + 1) * 8192L * 2;
        long weights = ((141_107_412_992 - norms) / 4) + norms;
        long kvPerToken = 327_680 / 4;
        long need = weights + (kvPerToken * 8192 * 4) + Workspace + Nccl;
        long spare = L40SFree - GiB - need;
        Assert.Equal(4, p.TensorParallel);
        Assert.Equal(["gpu0", "gpu1", "gpu2", "gpu3"], p.Devices);
        Assert.Equal(weights, p.PerDevice.WeightBytes);
        Assert.Equal(need, p.PerDevice.TotalBytes);
        Assert.Equal(kvPerToken, p.KvBytesPerTokenPerDevice);
        Assert.Equal(8192 * 4, p.KvTokensReserved);
        Assert.Equal((8192 * 4) + (spare / kvPerToken), p.KvTokensCapacity);
    }

    [Fact]
    public async Task Llama70B_bf16_does_not_fit_one_80GB_A100_but_fits_two()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("a100-8x");
        DeploymentRequest single = Request("one", TestModels.Llama70B, 8192, 1) with { AllowTensorParallel = false };
        DeploymentRequest split = Request("split", TestModels.Llama70B, 8192, 1);

        Plan plan = _planner.Plan(box, [single]);
        Placement placed = _planner.Plan(box, [split])["split"].Placement!;

        PlanRefusal refusal = plan["one"].Refusal!;
        Assert.Equal(RefusalReason.DoesNotFit, refusal.Reason);
        Assert.Contains(refusal.Suggestions, s => s.Kind == SuggestionKind.LargerTensorParallel && s.Value == 2);
        Assert.Contains(refusal.Suggestions, s => s.Kind == SuggestionKind.Int8Weights);
        Assert.Equal(2, placed.TensorParallel);
    }

    [Fact]
    public async Task Two_small_models_share_one_gpu()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("l40s-4x");

        Plan plan = _planner.Plan(box, [Request("chat", TestModels.Llama8B, 8192, 1), Request("embed", TestModels.BgeM3, 8192, 8)]);

        Assert.Equal(["gpu0"], plan["chat"].Placement!.Devices);
        Assert.Equal(["gpu0"], plan["embed"].Placement!.Devices);
        Assert.All(plan.Devices.Skip(1), d => Assert.Equal(0, d.PlannedBytes));
    }

    [Fact]
    public async Task A_tensor_parallel_group_never_reuses_another_groups_gpus()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("l40s-4x");

        Plan plan = _planner.Plan(box, [Request("a", TestModels.Llama70B, 4096, 1), Request("b", TestModels.Llama70B, 4096, 1)]);

        Assert.Equal(4, plan["a"].Placement!.TensorParallel);
        PlanRefusal refusal = plan["b"].Refusal!;
        Assert.Equal(RefusalReason.DoesNotFit, refusal.Reason);
        Assert.Equal(1, refusal.TensorParallel);
    }

    [Fact]
    public async Task Refusal_offers_only_changes_that_fit_and_the_largest_context()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("mixed");
        DeploymentRequest request = Request("chat", TestModels.Llama8B, 131_072, 1) with { AllowedDevices = ["gpu2"] };

        PlanRefusal refusal = _planner.Plan(box, [request])["chat"].Refusal!;

        FitSuggestion shorter = Assert.Single(refusal.Suggestions, s => s.Kind == SuggestionKind.ShorterContext);
        int context = (int)shorter.Value!.Value;
        Assert.True(_planner.Plan(box, [request with { Workload = request.Workload with { MaxContext = context } }])["chat"].Placed);
        Assert.False(_planner.Plan(box, [request with { Workload = request.Workload with { MaxContext = context + 16 } }])["chat"].Placed);
        Assert.DoesNotContain(refusal.Suggestions, s => s.Kind == SuggestionKind.FewerSequences);
        foreach (FitSuggestion suggestion in refusal.Suggestions.Where(s => s.Kind is SuggestionKind.Fp8KvCache or SuggestionKind.Int4Weights or SuggestionKind.Int8Weights))
        {
            WorkloadShape changed = suggestion.Kind switch
            {
                SuggestionKind.Fp8KvCache => request.Workload with { KvCache = KvCacheType.Fp8 },
                SuggestionKind.Int8Weights => request.Workload with { Quantization = QuantizationMode.Int8 },
                _ => request.Workload with { Quantization = QuantizationMode.Int4 },
            };
            Assert.True(_planner.Plan(box, [request with { Workload = changed }])["chat"].Placed);
        }
    }

    [Fact]
    public async Task Context_is_checked_before_memory()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("a100-8x");

        PlanRefusal refusal = _planner.Plan(box, [Request("embed", TestModels.BgeM3, 8194, 1)])["embed"].Refusal!;

        Assert.Equal(RefusalReason.ContextTooLong, refusal.Reason);
        Assert.Equal(8192, Assert.Single(refusal.Suggestions).Value);
    }

    [Fact]
    public void Overheads_are_counted_weights_plus_kv_alone_would_fit()
    {
        ModelProfile model = TestModels.Llama8B;
        MemoryEstimate e = new MemoryEstimator().EstimateGpu(model, new WorkloadShape(QuantizationMode.Bf16, 4096, 1), 1);
        long weightsAndKv = e.PerDevice.WeightBytes + e.PerDevice.KvCacheBytes;
        PlanDevice tight = new("gpu0", "test", DeviceKind.Gpu, weightsAndKv + MiB);
        PlanDevice enough = tight with { AvailableBytes = e.PerDevice.TotalBytes + GiB };

        Assert.False(_planner.Plan([tight], [Request("m", model, 4096, 1)])["m"].Placed);
        Assert.True(_planner.Plan([enough], [Request("m", model, 4096, 1)])["m"].Placed);
        Assert.False(_planner.Plan([enough with { AvailableBytes = enough.AvailableBytes - 1 }], [Request("m", model, 4096, 1)])["m"].Placed);
    }

    [Fact]
    public async Task Never_overcommits_any_device()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("mixed", includeCpu: true);
        DeploymentRequest[] wanted =
        [
            Request("a", TestModels.Llama8B, 32_768, 4), Request("b", TestModels.Qwen7B, 32_768, 8),
            Request("c", TestModels.Mistral7B, 16_384, 4), Request("d", TestModels.BgeM3, 8192, 32),
            Request("e", TestModels.KoBart, 1024, 16) with { AllowCpu = true }, Request("f", TestModels.Qwen05B, 32_768, 16),
            Request("g", TestModels.Llama70B, 8192, 1, QuantizationMode.Int4),
        ];

        Plan plan = _planner.Plan(box, wanted);

        Assert.All(plan.Devices, d => Assert.True(d.RemainingBytes >= 0, $"{d.DeviceId} overcommitted by {-d.RemainingBytes}"));
        Assert.All(plan.Devices, d => Assert.Equal(
            plan.Outcomes.Where(o => o.Placement?.Devices.Contains(d.DeviceId) == true).Sum(o => o.Placement!.PerDevice.TotalBytes),
            d.PlannedBytes));
        Assert.Contains(plan.Outcomes, o => !o.Placed);
    }

    // Per deployment, not per set: for a set, a GPU more can let a large model fit that then takes the room a
    // smaller one had (greedy first-fit decreasing), which is a change of outcome, not an overcommit.
    [Fact]
    public async Task Adding_a_gpu_never_turns_a_fit_into_a_refusal()
    {
        IReadOnlyList<PlanDevice> four = await Boxes.DevicesAsync("l40s-4x");
        DeploymentRequest[] wanted =
        [
            Request("big", TestModels.Llama70B, 8192, 2), Request("chat", TestModels.Llama8B, 16_384, 8),
            Request("qwen", TestModels.Qwen7B, 32_768, 4), Request("embed", TestModels.BgeM3, 8192, 8),
            Request("long", TestModels.Llama8B, 131_072, 2), Request("int4", TestModels.Llama70B, 32_768, 4, QuantizationMode.Int4),
        ];

        foreach (DeploymentRequest request in wanted)
        {
            for (int count = 1; count < four.Count; count++)
            {
                bool fewer = _planner.Plan(four.Take(count).ToList(), [request])[request.Id].Placed;
                bool more = _planner.Plan(four.Take(count + 1).ToList(), [request])[request.Id].Placed;
                Assert.True(!fewer || more, $"{request.Id} fit on {count} GPUs but not on {count + 1}");
            }
        }
    }

    [Fact]
    public async Task More_context_or_sequences_never_lowers_the_need()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("h100-1x");
        long previous = 0;
        foreach ((int context, int sequences) in new[] { (1024, 1), (2048, 1), (2048, 2), (8192, 2), (8192, 8), (32_768, 8) })
        {
            Placement p = _planner.Plan(box, [Request("m", TestModels.Qwen7B, context, sequences)])["m"].Placement!;
            Assert.True(p.PerDevice.TotalBytes >= previous);
            previous = p.PerDevice.TotalBytes;
        }
    }

    [Fact]
    public async Task Same_input_gives_the_same_plan()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("a100-8x");
        DeploymentRequest[] wanted = [Request("a", TestModels.Llama70B, 8192, 4), Request("b", TestModels.Llama8B, 8192, 4), Request("c", TestModels.Qwen7B, 8192, 4)];

        string first = JsonSerializer.Serialize(_planner.Plan(box, wanted));
        string second = JsonSerializer.Serialize(_planner.Plan(box, wanted.Reverse().ToArray()).Outcomes.OrderBy(o => o.DeploymentId, StringComparer.Ordinal));

        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(first).GetProperty("Outcomes")),
            second);
    }

    [Fact]
    public async Task Uses_free_not_total_memory_so_a_partly_used_gpu_is_filled_last()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("a100-8x");

        PlanDevice busy = box.Single(d => d.Id == "gpu7");
        Assert.Equal(68762 * MiB, busy.AvailableBytes);
        DeploymentRequest big = Request("m", TestModels.Llama8B, 65_536, 7) with { AllowedDevices = ["gpu7"] };
        Assert.False(_planner.Plan(box, [big])["m"].Placed);
        Assert.True(_planner.Plan(box, [big with { AllowedDevices = ["gpu0"] }])["m"].Placed);
    }

    [Fact]
    public async Task Cpu_only_box_places_a_small_model_in_ram_when_allowed_and_refuses_otherwise()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("cpu-only", includeCpu: true);
        DeploymentRequest request = Request("small", TestModels.Qwen05B, 8192, 2);

        Placement onCpu = _planner.Plan(box, [request with { AllowCpu = true }])["small"].Placement!;
        PlanRefusal refused = _planner.Plan(box, [request])["small"].Refusal!;
        PlanRefusal int4 = _planner.Plan(box, [request with { AllowCpu = true, Workload = request.Workload with { Quantization = QuantizationMode.Int4 } }])["small"].Refusal!;

        Assert.True(onCpu.OnCpu);
        Assert.Equal(["cpu"], onCpu.Devices);
        Assert.Equal(RefusalReason.NoDevices, refused.Reason);
        Assert.Equal(RefusalReason.NoValidTensorParallel, int4.Reason);
    }

    [Fact]
    public async Task Mig_slices_host_single_gpu_models_but_never_join_tensor_parallel()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("mig-a100");

        Assert.Equal(["gpu0/mig1.0", "gpu0/mig2.0", "gpu1"], box.Select(d => d.Id));
        Assert.Equal((40192 - 25) * MiB, box[0].AvailableBytes);
        Plan plan = _planner.Plan(box, [Request("chat", TestModels.Llama8B, 8192, 4) with { AllowedDevices = ["gpu0/mig1.0"] }]);
        Assert.Equal(["gpu0/mig1.0"], plan["chat"].Placement!.Devices);
        Plan split = _planner.Plan(box, [Request("big", TestModels.Llama70B, 4096, 1)]);
        Assert.False(split["big"].Placed);
    }

    [Fact]
    public void Requesting_one_id_twice_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => _planner.Plan([], [Request("a", TestModels.Qwen05B, 1024, 1), Request("a", TestModels.Qwen05B, 1024, 1)]));
    }
}
