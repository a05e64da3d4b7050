using Nlps.Models.Estimation;

namespace Nlps.Models.Tests.Estimation;

/// <summary>The published figures of budget.md §2: parameters, bf16 and int4-g128 bytes, KV bytes per token.</summary>
public sealed class ReferenceModelTests
{
    [Theory]
    [InlineData("llama-3.1-8b-instruct", 8_030_261_248, 16_060_522_496, 5_727_854_592, 131_072)]
    [InlineData("llama-3.1-70b-instruct", 70_553_706_496, 141_107_412_992, 39_767_785_472, 327_680)]
    [InlineData("qwen2.5-7b-instruct", 7_615_616_512, 15_231_233_024, 5_570_747_392, 57_344)]
    [InlineData("qwen2.5-0.5b-instruct", 494_032_768, 988_065_536, 458_314_496, 12_288)]
    [InlineData("mistral-7b-instruct-v0.3", 7_248_023_552, 14_496_047_104, 4_163_379_200, 131_072)]
    public void Decoder_matches_published_figures(string model, long parameters, long bf16Bytes, long int4Bytes, long kvPerToken)
    {
        ModelProfile profile = TestModels.Load(model);

        Assert.Equal(parameters, profile.Weights.ParameterCount);
        Assert.Equal(bf16Bytes, WeightBytes.Total(profile.Weights, QuantizationMode.Bf16));
        Assert.Equal(int4Bytes, WeightBytes.Total(profile.Weights, QuantizationMode.Int4));
        Assert.Equal(kvPerToken, KvCache.BytesPerTokenPerRank(profile.Architecture, KvCacheType.Bf16, 1));
    }

    [Fact]
    public void Llama8B_kv_per_token_is_layers_times_kv_heads_times_head_dim_times_two_times_two()
    {
        Assert.Equal(32 * 8 * 128 * 2 * 2, KvCache.BytesPerTokenPerRank(TestModels.Llama8B.Architecture, KvCacheType.Bf16, 1));
    }

    [Fact]
    public void Bge_m3_matches_published_parameters_and_has_no_kv_cache()
    {
        ModelProfile bge = TestModels.BgeM3;

        Assert.Equal(567_754_752, bge.Weights.ParameterCount);
        Assert.Equal(1_135_509_504, WeightBytes.Total(bge.Weights, QuantizationMode.Bf16));
        Assert.Equal(2 * 1_135_509_504L, WeightBytes.Total(bge.Weights, QuantizationMode.Fp32));
        Assert.Equal(0, KvCache.BytesPerTokenPerRank(bge.Architecture, KvCacheType.Bf16, 1));
    }

    [Fact]
    public void KoBart_matches_published_parameters_and_caches_cross_attention()
    {
        ModelProfile kobart = TestModels.KoBart;

        // max_position_embeddings 1026 positions on each side, in tables of 1028 rows (BART's offset of 2).
        Assert.Equal(123_859_968, kobart.Weights.ParameterCount);
        Assert.Equal(247_719_936, WeightBytes.Total(kobart.Weights, QuantizationMode.Bf16));
        Assert.Equal(18_432, KvCache.BytesPerTokenPerRank(kobart.Architecture, KvCacheType.Bf16, 1));
        Assert.Equal(2 * 1024, KvCache.TokensPerSequence(kobart.Architecture, 1024));
    }

    [Fact]
    public void Qwen_counts_qkv_biases_and_tied_embeddings_once()
    {
        ModelArchitecture a = TestModels.Qwen05B.Architecture;
        long biases = (long)a.Layers * ((a.Heads * a.HeadDim) + (2 * a.KvHeads * a.HeadDim));
        long embedding = (long)a.VocabSize * a.HiddenSize;

        Assert.True(a.AttentionBias);
        Assert.True(a.TieWordEmbeddings);
        Assert.Equal(24 * (896 + 2 * 128), biases);
        Assert.DoesNotContain(TestModels.Qwen05B.Weights.Tensors, t => t.Name == "lm_head.weight");
        Assert.Equal(494_032_768 - biases - embedding, TestModels.Qwen05B.Weights.Tensors
            .Where(t => t.Role is not (TensorRole.ColumnBias or TensorRole.VocabEmbedding)).Sum(t => t.Elements));
    }

    [Fact]
    public void Int8_70B_is_within_a_tenth_of_a_percent_of_vllms_logged_67_7229_GiB()
    {
        double gib = WeightBytes.Total(TestModels.Llama70B.Weights, QuantizationMode.Int8) / (double)TestModels.GiB;

        Assert.InRange(gib, 67.7229 * 0.999, 67.7229 * 1.001);
    }

    [Fact]
    public void Int4_costs_0_51953125_bytes_per_linear_weight()
    {
        Assert.Equal((long)(4096 * 4096 * 0.51953125), WeightBytes.Linear(QuantizationMode.Int4, 4096, 4096));
    }

    [Fact]
    public void Fp8_kv_is_exactly_half_of_bf16()
    {
        foreach (ModelProfile model in new[] { TestModels.Llama8B, TestModels.Qwen7B, TestModels.KoBart })
        {
            Assert.Equal(
                KvCache.BytesPerTokenPerRank(model.Architecture, KvCacheType.Bf16, 1),
                2 * KvCache.BytesPerTokenPerRank(model.Architecture, KvCacheType.Fp8, 1));
        }
    }

    [Fact]
    public void Lora_rank_16_on_every_linear_of_llama_8B_is_80_MiB()
    {
        Assert.Equal(80 * TestModels.MiB, new LoraBudget(1, 16).Bytes(TestModels.Llama8B.Weights));
    }
}
