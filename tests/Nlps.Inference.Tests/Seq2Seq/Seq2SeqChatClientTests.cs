using Microsoft.Extensions.AI;
using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Seq2Seq;
using Nlps.Inference.Seq2Seq;

namespace Nlps.Inference.Tests.Seq2Seq;

public sealed class Seq2SeqChatClientTests : IDisposable
{
    private readonly TinyBart _bart = TinyBart.Create();

    [Fact]
    public async Task The_reply_is_the_models_generation_with_usage_and_beams_from_additional_properties()
    {
        using var model = Load(TruncationPolicy.Refuse);
        using var client = new Seq2SeqChatClient(model, "kw");
        var expected = await model.GenerateAsync("키워드 seoul", new Seq2SeqGenerationOptions { MaxNewTokens = 5, NumBeams = 2 }, CancellationToken.None);

        ChatResponse reply = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "키워드 seoul")],
            new ChatOptions { MaxOutputTokens = 5, AdditionalProperties = new() { ["num_beams"] = "2" } });

        Assert.Equal(expected.Text, reply.Text);
        Assert.Equal(("kw", expected.SourceTokens, expected.Tokens.Length), (reply.ModelId, (int)reply.Usage!.InputTokenCount!.Value, (int)reply.Usage.OutputTokenCount!.Value));
        Assert.Equal(expected.EndedWithEos ? ChatFinishReason.Stop : ChatFinishReason.Length, reply.FinishReason);
    }

    [Theory]
    [InlineData("num_beams", "many")]
    [InlineData("num_beams", 0)]
    [InlineData("length_penalty", "long")]
    public async Task A_bad_generation_property_is_refused_naming_it(string key, object value)
    {
        using var model = Load(TruncationPolicy.Refuse);
        using var client = new Seq2SeqChatClient(model);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "x")], new ChatOptions { AdditionalProperties = new() { [key] = value } }));

        Assert.Contains(key == "num_beams" && value is int ? "NumBeams" : key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_source_is_refused_with_both_counts_or_cut_to_the_positions_as_the_policy_says()
    {
        string text = new('a', TinyBart.MaxPositions + 10);
        using (var refusing = Load(TruncationPolicy.Refuse))
        {
            var error = Assert.Throws<ContextLengthExceededException>(() => refusing.EncodeSource(text));
            Assert.Contains($"has {TinyBart.MaxPositions + 10} tokens", error.Message, StringComparison.Ordinal);
            Assert.Contains($"at most {TinyBart.MaxPositions}", error.Message, StringComparison.Ordinal);
        }

        using var truncating = Load(TruncationPolicy.Truncate);
        Assert.Equal(truncating.Tokenizer.Encode(text, addSpecialTokens: true).Take(TinyBart.MaxPositions), truncating.EncodeSource(text));
        Assert.Throws<ArgumentException>(() => truncating.EncodeSource(string.Empty));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TinyBart.MaxPositions + 1)]
    public void A_source_limit_outside_the_models_positions_is_refused_at_load(int limit)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Seq2SeqTextModel.Load(
            _bart.Folder, new Seq2SeqModelOptions { Engine = new CpuEngineOptions { Threads = 1 }, MaxSourceTokens = limit }));

        Assert.Contains($"MaxSourceTokens must be 1 to the model's {TinyBart.MaxPositions} positions", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _bart.Dispose();

    private Seq2SeqTextModel Load(TruncationPolicy truncation) =>
        Seq2SeqTextModel.Load(_bart.Folder, new Seq2SeqModelOptions { Engine = new CpuEngineOptions { Threads = 1 }, Truncation = truncation });
}
