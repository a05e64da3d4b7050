using Nlps.Models.Estimation;

namespace Nlps.Models.Tests.Estimation;

public sealed class ModelConfigReaderTests
{
    private const string Minimal =
        """{"model_type":"llama","hidden_size":256,"intermediate_size":512,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"vocab_size":1000,"max_position_embeddings":2048}""";

    [Theory]
    [InlineData("llama-3.1-8b-instruct", 131_072)]
    [InlineData("qwen2.5-7b-instruct", 32_768)]
    [InlineData("bge-m3", 8_192)]
    [InlineData("kobart-base-v1", 1_026)]
    public void Context_limit_comes_from_config(string model, int limit)
    {
        Assert.Equal(limit, TestModels.Load(model).Architecture.ContextLimit);
    }

    [Fact]
    public void Yarn_scaling_stretches_the_original_window()
    {
        string json = Minimal.Replace("}", ""","rope_scaling":{"type":"yarn","factor":4.0,"original_max_position_embeddings":32768}}""", StringComparison.Ordinal);

        Assert.Equal(131_072, ModelConfigReader.Parse(json).ContextLimit);
    }

    [Fact]
    public void Head_dim_from_config_wins_over_hidden_over_heads()
    {
        string json = Minimal.Replace("}", ""","head_dim":128}""", StringComparison.Ordinal);

        Assert.Equal(128, ModelConfigReader.Parse(json).HeadDim);
        Assert.Equal(64, ModelConfigReader.Parse(Minimal).HeadDim);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"hidden_size":1}""", "'model_type' is missing")]
    [InlineData("""{"model_type":"gpt_neox"}""", "unknown architecture model_type 'gpt_neox'")]
    [InlineData("""{"model_type":"llama","hidden_size":256}""", "'num_attention_heads' is missing")]
    [InlineData("""{"model_type":"llama","hidden_size":-4,"num_attention_heads":4}""", "'hidden_size' must be a positive integer")]
    [InlineData("""{"model_type":"llama","hidden_size":256,"num_attention_heads":4,"num_key_value_heads":3}""", "'num_key_value_heads' 3 does not divide")]
    [InlineData("""{"model_type":"llama","hidden_size":250,"num_attention_heads":4}""", "does not divide hidden_size")]
    public void Bad_config_is_refused_with_the_key(string json, string expected)
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelConfigReader.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
