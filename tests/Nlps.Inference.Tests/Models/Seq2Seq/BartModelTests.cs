using System.Text.Json.Nodes;
using Nlps.Inference.Engine;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Seq2Seq;
using Nlps.Testing;

namespace Nlps.Inference.Tests.Models.Seq2Seq;

public sealed class BartModelTests
{
    [Fact]
    public void A_source_longer_than_max_position_embeddings_is_refused_with_both_counts()
    {
        using var model = BartModel.Load(BartOracleTests.Folder("bart-f32"), new CpuEngineOptions { Threads = 1 });

        var error = Assert.Throws<ContextLengthExceededException>(() => model.Generate([[5, 6], new int[41]], new Seq2SeqGenerationOptions()));

        Assert.Contains("source 1 has 41 tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 40", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_source_or_an_id_outside_the_vocabulary_is_refused_naming_the_source()
    {
        using var model = BartModel.Load(BartOracleTests.Folder("bart-f32"), new CpuEngineOptions { Threads = 1 });

        Assert.Contains("source 1 is empty", Assert.Throws<ArgumentException>(() => model.Generate([[5], []], new Seq2SeqGenerationOptions())).Message, StringComparison.Ordinal);
        Assert.Contains("source 0", Assert.Throws<ArgumentOutOfRangeException>(() => model.Generate([[5, 120]], new Seq2SeqGenerationOptions())).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.Generate([], new Seq2SeqGenerationOptions()));
    }

    [Fact]
    public void Forced_tokens_open_and_close_an_output_cut_by_the_length_limit()
    {
        using var model = BartModel.Load(BartOracleTests.Folder("bart-f32"), new CpuEngineOptions { Threads = 1 });
        var config = model.Config;

        foreach (int beams in (int[])[1, 3])
        {
            var result = model.Generate([[7, 8, 9, 10]], new Seq2SeqGenerationOptions { MaxNewTokens = 3, NumBeams = beams })[0];

            Assert.Equal(config.ForcedBosTokenId, result.Tokens[0]);
            Assert.Equal(config.ForcedEosTokenId, result.Tokens[^1]);
            Assert.True(result.Tokens.Length <= 3);
        }
    }

    [Fact]
    public void A_cancelled_generation_stops_with_operation_canceled()
    {
        using var model = BartModel.Load(BartOracleTests.Folder("kobart-bf16"), new CpuEngineOptions { Threads = 1 });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => model.Generate([[5, 6, 7]], new Seq2SeqGenerationOptions(), cancelled.Token));
    }

    [Theory]
    [InlineData("model_type", "\"t5\"", "model_type 't5' is not a seq2seq model")]
    [InlineData("normalize_before", "true", "'normalize_before': true")]
    [InlineData("activation_function", "\"relu\"", "activation_function 'relu'")]
    [InlineData("d_model", "66", "not a multiple of encoder_attention_heads")]
    public void An_unsupported_config_is_refused_naming_the_key(string key, string value, string message)
    {
        using var folder = new TempFolder("nlps-bart-config");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(BartOracleTests.Folder("bart-f32"), "config.json")))!.AsObject();
        config[key] = JsonNode.Parse(value);
        File.WriteAllText(folder.Combine("config.json"), config.ToJsonString());
        File.Copy(Path.Combine(BartOracleTests.Folder("bart-f32"), "model.safetensors"), folder.Combine("model.safetensors"));

        var error = Assert.Throws<ModelConfigException>(() => BartModel.Load(folder.Path, new CpuEngineOptions { Threads = 1 }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_whose_shapes_disagree_with_the_config_are_refused_naming_the_tensor()
    {
        using var folder = new TempFolder("nlps-bart-shape");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(BartOracleTests.Folder("bart-f32"), "config.json")))!.AsObject();
        config["max_position_embeddings"] = 41;
        File.WriteAllText(folder.Combine("config.json"), config.ToJsonString());
        File.Copy(Path.Combine(BartOracleTests.Folder("bart-f32"), "model.safetensors"), folder.Combine("model.safetensors"));

        var error = Assert.Throws<ModelConfigException>(() => BartModel.Load(folder.Path, new CpuEngineOptions { Threads = 1 }));

        Assert.Contains("embed_positions.weight", error.Message, StringComparison.Ordinal);
    }
}
