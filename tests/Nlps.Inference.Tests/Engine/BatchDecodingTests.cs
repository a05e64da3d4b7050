using Nlps.Inference.Engine;
using Nlps.Inference.Sampling;

namespace Nlps.Inference.Tests.Engine;

public sealed class BatchDecodingTests : IDisposable
{
    private readonly TinyModel _tiny = TinyModel.Create(TinyModelSpec.Llama3);

    public void Dispose() => _tiny.Dispose();

    [Fact]
    public async Task Greedy_output_of_concurrent_sequences_equals_each_one_decoded_alone()
    {
        string[] prompts = ["hello world", "the world", "hello", "world hello the", "한국어 hello"];
        var options = new GenerationOptions { MaxTokens = 24, IgnoreEndOfSequence = true };
        List<int>[] alone;
        using (var sequential = CpuLanguageModel.Load(_tiny.Folder, new CpuEngineOptions { Threads = 2, MaxRunningSequences = 1, MaxQueuedSequences = 0 }))
        {
            alone = new List<int>[prompts.Length];
            for (int i = 0; i < prompts.Length; i++)
            {
                alone[i] = await Tokens(sequential, prompts[i], options);
            }
        }

        using var batched = CpuLanguageModel.Load(_tiny.Folder, new CpuEngineOptions { Threads = 2, MaxRunningSequences = 8 });
        // Different lengths so sequences join and leave while others run.
        List<int>[] together = await Task.WhenAll(prompts.Select((p, i) => Tokens(batched, p, options with { MaxTokens = 24 - (3 * i) })));

        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i].Take(24 - (3 * i)), together[i]);
        }
    }

    [Fact]
    public async Task Sampled_sequences_with_their_own_seeds_do_not_disturb_a_greedy_one_beside_them()
    {
        var greedy = new GenerationOptions { MaxTokens = 20, IgnoreEndOfSequence = true };
        using var model = CpuLanguageModel.Load(_tiny.Folder, new CpuEngineOptions { Threads = 2 });
        List<int> alone = await Tokens(model, "hello world", greedy);

        var sampled = greedy with { Sampling = new SamplingOptions { Temperature = 1.2f, Seed = 7 } };
        List<int>[] results = await Task.WhenAll(Tokens(model, "the", sampled), Tokens(model, "hello world", greedy), Tokens(model, "world", sampled with { MaxTokens = 5 }));

        Assert.Equal(alone, results[1]);
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_and_a_leaving_sequence_makes_room()
    {
        using var model = CpuLanguageModel.Load(_tiny.Folder, new CpuEngineOptions { Threads = 2, MaxRunningSequences = 1, MaxQueuedSequences = 1 });
        var endless = new GenerationOptions { MaxTokens = 100_000, IgnoreEndOfSequence = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // The first holds the only place: it reads one token and then stops reading (the decoder waits for it).
        IAsyncEnumerator<GenerationUpdate> running = model.GenerateAsync(Prompt(model, "hello"), endless, timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await running.MoveNextAsync());
        IAsyncEnumerator<GenerationUpdate> queued = model.GenerateAsync(Prompt(model, "world"), endless with { MaxTokens = 3 }, timeout.Token).GetAsyncEnumerator(timeout.Token);
        ValueTask<bool> queuedFirst = queued.MoveNextAsync();

        var refused = await Assert.ThrowsAsync<EngineBusyException>(async () =>
        {
            await foreach (GenerationUpdate update in model.GenerateAsync(Prompt(model, "the"), endless, timeout.Token))
            {
                Assert.Fail("a third sequence must not start");
            }
        });
        Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1));
        EngineLoad load = model.CurrentLoad;
        Assert.Equal(1, load.RunningSequences);
        Assert.Equal(1, load.QueuedSequences);
        Assert.Equal(load.KvCacheBytes, load.KvCacheBytesPerSequence.Single());
        Assert.Equal(load.KvCacheBytesPerToken * model.MaxContextTokens, load.KvCacheBytes);

        await running.DisposeAsync();
        Assert.True(await queuedFirst);
        var rest = new List<GenerationUpdate> { queued.Current };
        while (await queued.MoveNextAsync())
        {
            rest.Add(queued.Current);
        }

        Assert.Equal(3, rest.Count);
        Assert.Equal(FinishReason.Length, rest[^1].FinishReason);
        await queued.DisposeAsync();
    }

    private static int[] Prompt(CpuLanguageModel model, string text) => [.. model.Tokenizer.Encode(text, addSpecialTokens: true)];

    private static async Task<List<int>> Tokens(CpuLanguageModel model, string prompt, GenerationOptions options)
    {
        var tokens = new List<int>();
        await foreach (GenerationUpdate update in model.GenerateAsync(Prompt(model, prompt), options, CancellationToken.None))
        {
            tokens.Add(update.TokenId!.Value);
        }

        return tokens;
    }
}
