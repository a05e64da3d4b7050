using Nlps.Models.Estimation;

namespace Nlps.Models.Tests.Estimation;

public sealed class MemoryEstimatorTests
{
    private readonly MemoryEstimator _estimator = new();

    [Fact]
    public void Llama8B_breakdown_has_exact_weights_and_kv_and_the_table_workspace()
    {
        MemoryEstimate e = _estimator.EstimateGpu(TestModels.Llama8B, new WorkloadShape(QuantizationMode.Bf16, 8192, 4), 1);

        Assert.Equal(16_060_522_496, e.PerDevice.WeightBytes);
        Assert.Equal(131_072L * 8192 * 4, e.PerDevice.KvCacheBytes);
        Assert.Equal(2560 * TestModels.MiB, e.PerDevice.WorkspaceBytes);
        Assert.Equal(0, e.PerDevice.CommunicationBytes);
        Assert.Equal(8192 * 4, e.KvTokens);
        Assert.Equal(16_060_522_496 + (131_072L * 8192 * 4) + (2560 * TestModels.MiB), e.PerDevice.TotalBytes);
    }

    [Fact]
    public void Each_sequence_is_rounded_up_to_whole_16_token_blocks()
    {
        MemoryEstimate e = _estimator.EstimateGpu(TestModels.Llama8B, new WorkloadShape(QuantizationMode.Bf16, 8190, 3), 1);

        Assert.Equal(8192 * 3, e.KvTokens);
    }

    [Fact]
    public void Kv_grows_linearly_with_context_times_sequences()
    {
        long One(int context, int sequences) =>
            _estimator.EstimateGpu(TestModels.Qwen7B, new WorkloadShape(QuantizationMode.Bf16, context, sequences), 1).PerDevice.KvCacheBytes;

        Assert.Equal(2 * One(4096, 2), One(8192, 2));
        Assert.Equal(4 * One(4096, 2), One(4096, 8));
    }

    [Fact]
    public void Tensor_parallel_adds_communication_buffers_per_device()
    {
        MemoryEstimate e = _estimator.EstimateGpu(TestModels.Llama70B, new WorkloadShape(QuantizationMode.Bf16, 8192, 1), 4);

        Assert.Equal(512 * TestModels.MiB, e.PerDevice.CommunicationBytes);
        Assert.Equal(81_920L * 8192, e.PerDevice.KvCacheBytes);
    }

    [Fact]
    public void Small_encoders_get_the_small_workspace()
    {
        MemoryEstimate e = _estimator.EstimateGpu(TestModels.BgeM3, new WorkloadShape(QuantizationMode.Bf16, 8192, 16), 1);

        Assert.Equal(512 * TestModels.MiB, e.PerDevice.WorkspaceBytes);
        Assert.Equal(0, e.PerDevice.KvCacheBytes);
    }

    [Theory]
    [InlineData("bge-m3", 8194)]
    [InlineData("kobart-base-v1", 1027)]
    [InlineData("llama-3.1-8b-instruct", 200_000)]
    [InlineData("qwen2.5-7b-instruct", 131_072)]
    public void Context_beyond_the_config_limit_is_refused(string model, int context)
    {
        string? reason = MemoryEstimator.CheckContext(TestModels.Load(model), new WorkloadShape(QuantizationMode.Bf16, context, 1));

        Assert.NotNull(reason);
        Assert.Contains("exceeds", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bge-m3", 8192)]
    [InlineData("kobart-base-v1", 1026)]
    public void Context_at_the_limit_is_accepted(string model, int context)
    {
        Assert.Null(MemoryEstimator.CheckContext(TestModels.Load(model), new WorkloadShape(QuantizationMode.Bf16, context, 1)));
    }
}
