using Nlps.Models.Estimation;

namespace Nlps.Models.Tests.Estimation;

public sealed class TensorParallelTests
{
    [Fact]
    public void Llama70B_splits_weights_by_four_and_keeps_norms_whole()
    {
        // Norms: two per layer plus the final one, 8192 wide, 2 bytes each, present on every rank.
        const long norms = ((80 * 2) + 1) * 8192L * 2;
        const long total = 141_107_412_992;

        long perRank = WeightBytes.PerRank(TestModels.Llama70B.Weights, QuantizationMode.Bf16, 4);

        Assert.Equal(((total - norms) / 4) + norms, perRank);
    }

    [Fact]
    public void Kv_heads_split_under_tp_and_replicate_beyond_their_count()
    {
        ModelArchitecture llama = TestModels.Llama70B.Architecture;
        ModelArchitecture qwen = TestModels.Qwen05B.Architecture;

        Assert.Equal(327_680 / 4, KvCache.BytesPerTokenPerRank(llama, KvCacheType.Bf16, 4));
        Assert.Equal(327_680 / 8, KvCache.BytesPerTokenPerRank(llama, KvCacheType.Bf16, 8));
        Assert.Equal(2L * 24 * 1 * 64 * 2, KvCache.BytesPerTokenPerRank(qwen, KvCacheType.Bf16, 2));
        Assert.Equal(2L * 24 * 1 * 64 * 2, KvCache.BytesPerTokenPerRank(qwen with { Heads = 16 }, KvCacheType.Bf16, 4));
    }

    [Theory]
    [InlineData("llama-3.1-70b-instruct", new[] { 1, 2, 4, 8 })]
    [InlineData("llama-3.1-8b-instruct", new[] { 1, 2, 4, 8 })]
    [InlineData("qwen2.5-7b-instruct", new[] { 1, 2, 4 })]
    [InlineData("qwen2.5-0.5b-instruct", new[] { 1, 2 })]
    [InlineData("mistral-7b-instruct-v0.3", new[] { 1, 2, 4, 8 })]
    public void Valid_degrees_in_bf16_match_the_heads(string model, int[] valid)
    {
        ModelArchitecture a = TestModels.Load(model).Architecture;

        int[] actual = TensorParallelRules.Degrees.Where(tp => TensorParallelRules.Check(a, QuantizationMode.Bf16, tp) is null).ToArray();

        Assert.Equal(valid, actual);
    }

    [Fact]
    public void Int4_qwen_05B_cannot_split_in_two()
    {
        string? reason = TensorParallelRules.Check(TestModels.Qwen05B.Architecture, QuantizationMode.Int4, 2);

        Assert.NotNull(reason);
        Assert.Contains("448", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoders_are_never_split()
    {
        Assert.NotNull(TensorParallelRules.Check(TestModels.BgeM3.Architecture, QuantizationMode.Bf16, 2));
    }
}
