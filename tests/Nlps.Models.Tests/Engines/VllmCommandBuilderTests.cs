using Nlps.Models.Engines.Processes;
using Nlps.Models.Estimation;
using Nlps.Models.Planning;
using Nlps.Models.Tests.Planning;

namespace Nlps.Models.Tests.Engines;

/// <summary>The exact vLLM command lines for the reference plans on the 4× L40S box (46068 MiB each, 45469 MiB free).</summary>
public sealed class VllmCommandBuilderTests
{
    private const long L40STotal = 46068 * TestModels.MiB;
    private const string Models = "/var/lib/nlps/models";

    private static readonly VllmOptions Options = new() { Executable = "/opt/vllm/bin/vllm" };

    private readonly PlacementPlanner _planner = new();

    [Fact]
    public async Task Llama70B_bf16_on_four_L40S_runs_tensor_parallel_4_with_its_planned_share_of_each_gpu()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("l40s-4x");
        var workload = new WorkloadShape(QuantizationMode.Bf16, 8192, 4);
        Placement placement = _planner.Plan(box, [new DeploymentRequest("llama-70b", TestModels.Llama70B, workload)])["llama-70b"].Placement!;

        EngineCommand command = VllmCommandBuilder.Build(
            new VllmDeployment("llama-70b", $"{Models}/llama-3.1-70b-instruct", ModelFamily.Decoder, workload, placement, L40STotal, [], 8100), Options);

        // 41,184,411,648 planned bytes per GPU (weights/4 + norms, KV for 4 × 8192 tokens, workspace, NCCL) of 48,305,799,168.
        Assert.Equal(41_184_411_648, placement.PerDevice.TotalBytes);
        Assert.Equal(
            "CUDA_VISIBLE_DEVICES=0,1,2,3 VLLM_NO_USAGE_STATS=1 /opt/vllm/bin/vllm serve /var/lib/nlps/models/llama-3.1-70b-instruct --host 127.0.0.1 --port 8100"
            + " --served-model-name llama-70b --tensor-parallel-size 4 --gpu-memory-utilization 0.8526 --max-model-len 8192 --max-num-seqs 4 --dtype bfloat16",
            command.ToString());
        Assert.Equal(8100, command.Port);
    }

    [Fact]
    public async Task Llama8B_and_bge_m3_share_one_L40S_and_their_memory_fractions_do_not_overcommit_it()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("l40s-4x");
        var chat = new WorkloadShape(QuantizationMode.Bf16, 8192, 4);
        var embed = new WorkloadShape(QuantizationMode.Bf16, 8192, 8);
        Plan plan = _planner.Plan(box, [
            new DeploymentRequest("llama-8b", TestModels.Llama8B, chat, AllowedDevices: ["gpu0"]),
            new DeploymentRequest("bge-m3", TestModels.BgeM3, embed, AllowedDevices: ["gpu0"])]);

        EngineCommand llama = VllmCommandBuilder.Build(
            new VllmDeployment("llama-8b", $"{Models}/llama-3.1-8b-instruct", ModelFamily.Decoder, chat, plan["llama-8b"].Placement!, L40STotal, [], 8101), Options);
        EngineCommand bge = VllmCommandBuilder.Build(
            new VllmDeployment("bge-m3", $"{Models}/bge-m3", ModelFamily.Encoder, embed, plan["bge-m3"].Placement!, L40STotal, [], 8102), Options);

        // 8B: 16,060,522,496 weights + 4 GiB KV (4 × 8192 × 128 KiB) + 2.5 GiB workspace = 0.47696 of the GPU.
        // bge-m3: 1,135,509,504 bf16 weights + 0.5 GiB encoder workspace, no KV = 0.03462.
        Assert.Equal(
            "CUDA_VISIBLE_DEVICES=0 VLLM_NO_USAGE_STATS=1 /opt/vllm/bin/vllm serve /var/lib/nlps/models/llama-3.1-8b-instruct --host 127.0.0.1 --port 8101"
            + " --served-model-name llama-8b --tensor-parallel-size 1 --gpu-memory-utilization 0.477 --max-model-len 8192 --max-num-seqs 4 --dtype bfloat16",
            llama.ToString());
        Assert.Equal(
            "CUDA_VISIBLE_DEVICES=0 VLLM_NO_USAGE_STATS=1 /opt/vllm/bin/vllm serve /var/lib/nlps/models/bge-m3 --host 127.0.0.1 --port 8102"
            + " --served-model-name bge-m3 --tensor-parallel-size 1 --gpu-memory-utilization 0.0347 --max-model-len 8192 --max-num-seqs 8 --dtype bfloat16 --runner pooling",
            bge.ToString());
        Assert.True(0.477m + 0.0347m <= 45469m / 46068m, "the two fractions stay within the GPU's free memory");
    }

    [Fact]
    public async Task Llama8B_with_two_LoRA_adapters_enables_lora_with_the_planned_slots_and_rank()
    {
        IReadOnlyList<PlanDevice> box = await Boxes.DevicesAsync("l40s-4x");
        var workload = new WorkloadShape(QuantizationMode.Bf16, 8192, 4, Lora: new LoraBudget(2, 16));
        Placement placement = _planner.Plan(box, [new DeploymentRequest("llama-8b", TestModels.Llama8B, workload)])["llama-8b"].Placement!;
        LoraModule[] adapters = [new("ko-finance", $"{Models}/adapters/ko-finance"), new("sql", $"{Models}/adapters/sql")];

        EngineCommand command = VllmCommandBuilder.Build(
            new VllmDeployment("llama-8b", $"{Models}/llama-3.1-8b-instruct", ModelFamily.Decoder, workload, placement, L40STotal, adapters, 8103),
            new VllmOptions { Executable = "/opt/vllm/bin/vllm", ExtraArguments = ["--enable-prefix-caching"] });

        // Two rank-16 slots add 2 × 80 MiB to the 8B's 23,039,844,352 bytes: 0.48043 of the GPU.
        Assert.Equal(
            "CUDA_VISIBLE_DEVICES=0 VLLM_NO_USAGE_STATS=1 /opt/vllm/bin/vllm serve /var/lib/nlps/models/llama-3.1-8b-instruct --host 127.0.0.1 --port 8103"
            + " --served-model-name llama-8b --tensor-parallel-size 1 --gpu-memory-utilization 0.4805 --max-model-len 8192 --max-num-seqs 4 --dtype bfloat16"
            + " --enable-lora --lora-modules ko-finance=/var/lib/nlps/models/adapters/ko-finance sql=/var/lib/nlps/models/adapters/sql --max-loras 2 --max-lora-rank 16"
            + " --enable-prefix-caching",
            command.ToString());
    }

    [Theory]
    [InlineData(QuantizationMode.Fp8, "--dtype bfloat16 --quantization fp8")]
    [InlineData(QuantizationMode.Int4, "--dtype float16 --quantization awq")]
    [InlineData(QuantizationMode.Int8, "--dtype bfloat16 --quantization compressed-tensors")]
    public void Quantized_weights_name_vllms_quantization(QuantizationMode mode, string flags)
    {
        var placement = new Placement(["gpu2"], 1, false, new MemoryBreakdown(10 * TestModels.GiB, 0, 0, 0, 0), TestModels.GiB, 0, 0, 0);

        EngineCommand command = VllmCommandBuilder.Build(
            new VllmDeployment("m", "/m", ModelFamily.Decoder, new WorkloadShape(mode, 4096, 2, KvCacheType.Fp8), placement, L40STotal, [], 9000), Options);

        Assert.EndsWith($"--max-num-seqs 2 {flags} --kv-cache-dtype fp8", command.ToString(), StringComparison.Ordinal);
        Assert.Equal("2", command.Environment["CUDA_VISIBLE_DEVICES"]);
    }

    [Fact]
    public void A_mig_slice_or_a_cpu_placement_is_refused_with_the_reason()
    {
        var mig = new Placement(["gpu0/mig1.0"], 1, false, new MemoryBreakdown(TestModels.GiB, 0, 0, 0, 0), 0, 0, 0, 0);
        var cpu = mig with { Devices = ["cpu"], OnCpu = true };
        var workload = new WorkloadShape(QuantizationMode.Bf16, 4096, 2);

        var slice = Assert.Throws<NotSupportedException>(() => VllmCommandBuilder.Build(new VllmDeployment("m", "/m", ModelFamily.Decoder, workload, mig, L40STotal, [], 9000), Options));
        var onCpu = Assert.Throws<ArgumentException>(() => VllmCommandBuilder.Build(new VllmDeployment("m", "/m", ModelFamily.Decoder, workload, cpu, L40STotal, [], 9000), Options));

        Assert.Contains("gpu0/mig1.0", slice.Message, StringComparison.Ordinal);
        Assert.Contains("placed on the CPU", onCpu.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 3, "0.3334")]
    [InlineData(1, 2, "0.5")]
    [InlineData(10, 10, "1.0")]
    public void The_memory_fraction_rounds_up_so_vllm_never_gets_less_than_planned(long bytes, long total, string expected) =>
        Assert.Equal(expected, VllmCommandBuilder.MemoryFraction(bytes, total));

    [Fact]
    public void A_budget_larger_than_the_gpu_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VllmCommandBuilder.MemoryFraction(11, 10));
}
