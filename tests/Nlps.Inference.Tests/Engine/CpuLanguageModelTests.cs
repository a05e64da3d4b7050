using Microsoft.Extensions.AI;
using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Engine;
using Nlps.Inference.Sampling;

namespace Nlps.Inference.Tests.Engine;

public sealed class CpuLanguageModelTests : IDisposable
{
    private static readonly CpuEngineOptions Options = new() { Threads = 2, MaxContextTokens = 160 };
    private readonly TinyModel _tiny = TinyModel.Create(TinyModelSpec.Llama3);
    private readonly CpuLanguageModel _model;

    public CpuLanguageModelTests() => _model = CpuLanguageModel.Load(_tiny.Folder, Options);

    public void Dispose()
    {
        _model.Dispose();
        _tiny.Dispose();
    }

    [Fact]
    public async Task Streamed_text_is_the_decoded_greedy_tokens_and_repeats_exactly()
    {
        var first = await Collect("hello world", new GenerationOptions { MaxTokens = 16 });
        var second = await Collect("hello world", new GenerationOptions { MaxTokens = 16 });

        int[] ids = first.Select(u => u.TokenId!.Value).ToArray();
        Assert.Equal(string.Concat(first.Select(u => u.Text)), _model.Tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Equal(ids, second.Select(u => u.TokenId!.Value));
        Assert.Equal(FinishReason.Length, first[^1].FinishReason);
        Assert.Equal(16, first[^1].CompletionTokens);
        Assert.All(first.SkipLast(1), u => Assert.Null(u.FinishReason));
    }

    [Fact]
    public async Task A_stop_token_ends_the_generation_before_it()
    {
        var baseline = await Collect("the world", new GenerationOptions { MaxTokens = 10 });
        int[] ids = baseline.Select(u => u.TokenId!.Value).ToArray();
        int stopAt = Array.FindIndex(ids, 3, id => Array.IndexOf(ids, id) == Array.LastIndexOf(ids, id, Array.IndexOf(ids, id)));

        var stopped = await Collect("the world", new GenerationOptions { MaxTokens = 10, StopTokenIds = [ids[stopAt]] });

        Assert.Equal(FinishReason.Stop, stopped[^1].FinishReason);
        Assert.Equal(Array.IndexOf(ids, ids[stopAt]), stopped[^1].CompletionTokens);
    }

    [Fact]
    public async Task A_stop_string_cuts_the_text_where_it_starts()
    {
        var baseline = await Collect("hello", new GenerationOptions { MaxTokens = 24 });
        string full = string.Concat(baseline.Select(u => u.Text));
        string stop = full.Substring(full.Length / 2, 2);

        var stopped = await Collect("hello", new GenerationOptions { MaxTokens = 24, StopStrings = [stop] });

        Assert.Equal(FinishReason.Stop, stopped[^1].FinishReason);
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], string.Concat(stopped.Select(u => u.Text)));
    }

    [Fact]
    public async Task A_prompt_that_fills_the_context_is_refused_with_both_counts()
    {
        int[] prompt = Enumerable.Repeat(5, 160).ToArray();

        var error = await Assert.ThrowsAsync<ContextLengthExceededException>(async () =>
        {
            await foreach (var _ in _model.GenerateAsync(prompt, new GenerationOptions(), CancellationToken.None))
            {
            }
        });

        Assert.Equal((160, 160), (error.PromptTokens, error.MaxContextTokens));
    }

    [Fact]
    public async Task Generation_stops_at_the_context_window_with_length()
    {
        int[] prompt = Enumerable.Repeat(5, 154).ToArray();

        var updates = new List<GenerationUpdate>();
        await foreach (var u in _model.GenerateAsync(prompt, new GenerationOptions { MaxTokens = 50, IgnoreEndOfSequence = true }, CancellationToken.None))
        {
            updates.Add(u);
        }

        Assert.Equal(FinishReason.Length, updates[^1].FinishReason);
        Assert.Equal(6, updates[^1].CompletionTokens); // prompt + output = the 160-token window
    }

    [Fact]
    public async Task Cancelling_stops_the_generation_between_tokens()
    {
        using var cancel = new CancellationTokenSource();
        int seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in _model.GenerateAsync("hello", new GenerationOptions { MaxTokens = 40, IgnoreEndOfSequence = true }, cancel.Token))
            {
                seen++;
                await cancel.CancelAsync();
            }
        });

        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task The_chat_client_answers_through_the_chat_template_with_usage()
    {
        using IChatClient client = new LanguageModelChatClient(_model);
        ChatMessage[] messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "hello world")];

        ChatResponse response = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 8 });
        var direct = await _model.GenerateAsync(
            [new ChatTurn("system", "Be brief."), new ChatTurn("user", "hello world")], new GenerationOptions { MaxTokens = 8 }, CancellationToken.None).CompleteAsync();

        Assert.Equal(direct.Text, response.Text);
        Assert.Equal(_model.EncodeChat([new("system", "Be brief."), new("user", "hello world")]).Count, response.Usage?.InputTokenCount);
        Assert.Equal(direct.CompletionTokens, response.Usage?.OutputTokenCount);
        Assert.Equal(direct.Reason == FinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(_tiny.Folder.Split(Path.DirectorySeparatorChar)[^1], client.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    [Fact]
    public async Task Seeded_sampling_through_chat_options_repeats_and_differs_from_greedy_or_another_seed()
    {
        using IChatClient client = new LanguageModelChatClient(_model);
        ChatOptions Seeded(long seed) => new() { MaxOutputTokens = 12, Temperature = 1.5f, TopK = 50, Seed = seed, StopSequences = [] };
        ChatMessage[] messages = [new(ChatRole.User, "the")];

        string a = (await client.GetResponseAsync(messages, Seeded(7))).Text;
        string b = (await client.GetResponseAsync(messages, Seeded(7))).Text;
        string c = (await client.GetResponseAsync(messages, Seeded(8))).Text;

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Invalid_sampling_options_are_refused_before_any_work()
    {
        var options = new GenerationOptions { Sampling = new SamplingOptions { TopP = 0 } };

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Collect("hi", options));

        Assert.Equal("TopP", error.ParamName);
    }

    private async Task<List<GenerationUpdate>> Collect(string prompt, GenerationOptions options)
    {
        var updates = new List<GenerationUpdate>();
        await foreach (GenerationUpdate update in _model.GenerateAsync(prompt, options with { IgnoreEndOfSequence = true }, CancellationToken.None))
        {
            updates.Add(update);
        }

        return updates;
    }
}
