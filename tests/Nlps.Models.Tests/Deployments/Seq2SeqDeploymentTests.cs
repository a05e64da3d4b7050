using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nlps.Inference.Engine;
using Nlps.Inference.Models.Seq2Seq;
using Nlps.Inference.Seq2Seq;
using Nlps.Models.Deployments;
using Nlps.Models.Estimation;
using Nlps.Models.Tests.Store;
using Nlps.Testing.Models;

namespace Nlps.Models.Tests.Deployments;

/// <summary>A BART deployment over a real model store and the real CPU engine: served under a generation role, estimated with its caches.</summary>
public sealed class Seq2SeqDeploymentTests : IDisposable
{
    private readonly StoreFixture _store = new();
    private readonly TinyBart _bart = TinyBart.Create();

    [Fact]
    public async Task A_bart_deployment_serves_the_generate_role_with_what_the_model_generates()
    {
        await _store.Store.ImportAsync(_bart.Folder, "tiny-bart", null, CancellationToken.None);
        await using var deployments = Create(new() { ["keywords"] = new() { Model = "tiny-bart", Roles = ["generate"], Threads = 1 } });
        await deployments.StartAsync(CancellationToken.None);

        using var client = new DeployedModelRoles(deployments).GetChatClient("kw.agent", "generate", out string reason);
        Assert.True(client is not null, reason);
        ChatResponse response = await client.GetResponseAsync("부동산 금리", new ChatOptions { MaxOutputTokens = 5 });

        using var direct = Seq2SeqTextModel.Load(_bart.Folder, new Seq2SeqModelOptions { Engine = new CpuEngineOptions { Threads = 1 } });
        var expected = await direct.GenerateAsync("부동산 금리", new Seq2SeqGenerationOptions { MaxNewTokens = 5 }, CancellationToken.None);
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal("keywords", response.ModelId);
        using DeploymentLease lease = await deployments.AcquireAsync("keywords", CancellationToken.None);
        Assert.Null(lease.Model); // no decoder-only model: callers go through the chat client
    }

    [Fact]
    public async Task The_ram_estimate_counts_exactly_the_weight_bytes_the_loaded_model_holds_and_a_cache_per_beam()
    {
        await _store.Store.ImportAsync(_bart.Folder, "tiny-bart", null, CancellationToken.None);
        await using var deployments = Create(new()
        {
            ["greedy"] = new() { Model = "tiny-bart", Threads = 1, MaxConcurrency = 2 },
            ["beams"] = new() { Model = "tiny-bart", Threads = 1, MaxConcurrency = 2, Seq2Seq = new() { NumBeams = 4 } },
        });
        await deployments.StartAsync(CancellationToken.None);
        var bytes = deployments.Status().Deployments.ToDictionary(d => d.Id, d => d.BytesPerDevice[ModelDeployments.CpuDevice]);

        ModelArchitecture architecture = (await _store.Store.LoadProfileAsync("tiny-bart", CancellationToken.None)).Architecture;
        int context = architecture.ContextLimit;
        long perSequence = KvCache.BytesPerTokenPerRank(architecture, KvCacheType.Fp32, 1) * KvCache.RoundToBlocks(KvCache.TokensPerSequence(architecture, context), 16);
        Assert.Equal(2 * 4 * perSequence, bytes["beams"] - bytes["greedy"]); // 2 requests × (4 beams + 1 reorder set − 1)

        using var model = BartModel.Load(_bart.Folder, new CpuEngineOptions { Threads = 1 });
        long greedyCaches = 2 * perSequence; // 2 requests × 1 sequence (source + output tokens each)
        Assert.Equal(model.WeightBytes, bytes["greedy"] - greedyCaches - new EstimatorOptions().CpuWorkspaceBytes);
    }

    [Fact]
    public async Task The_config_alone_counts_the_position_tables_as_the_checkpoint_holds_them()
    {
        await _store.Store.ImportAsync(_bart.Folder, "tiny-bart", null, CancellationToken.None);
        ModelProfile stored = await _store.Store.LoadProfileAsync("tiny-bart", CancellationToken.None);

        ModelProfile fromConfig = ModelProfile.FromConfig("tiny-bart", await File.ReadAllTextAsync(Path.Combine(_bart.Folder, "config.json")));

        Assert.Equal(TinyBart.MaxPositions + 2, stored.Weights.Tensors.Single(t => t.Name == "model.encoder.embed_positions.weight").Rows);
        Assert.Equal(TinyBart.MaxPositions + 2, fromConfig.Weights.Tensors.Single(t => t.Name.Contains("embed_positions", StringComparison.Ordinal)).Rows);
        Assert.Equal(stored.Weights.Tensors.Where(t => t.Name != "final_logits_bias").Sum(t => t.Elements), fromConfig.Weights.ParameterCount); // a buffer, not a parameter
    }

    [Theory]
    [InlineData(0, "refuse")]
    [InlineData(0, "truncate")]
    [InlineData(40, "refuse")]
    [InlineData(40, "truncate")]
    public async Task The_reported_context_is_the_longest_source_the_deployment_accepts(int maxContext, string truncation)
    {
        await _store.Store.ImportAsync(_bart.Folder, "tiny-bart", null, CancellationToken.None);
        await using var deployments = Create(new()
        {
            ["keywords"] = new() { Model = "tiny-bart", Roles = ["generate"], Threads = 1, MaxContext = maxContext, Seq2Seq = new() { Truncation = truncation } },
        });
        await deployments.StartAsync(CancellationToken.None);
        int reported = deployments.Find("keywords")!.MaxContext;
        using var client = new DeployedModelRoles(deployments).GetChatClient("kw.agent", "generate", out string reason);
        Assert.True(client is not null, reason);

        ChatResponse exact = await client.GetResponseAsync(Source(reported), new ChatOptions { MaxOutputTokens = 2 });
        Task<ChatResponse> over = client.GetResponseAsync(Source(reported + 1), new ChatOptions { MaxOutputTokens = 2 });

        Assert.Equal(maxContext > 0 ? maxContext : TinyBart.MaxPositions, reported);
        Assert.Equal((long?)reported, exact.Usage?.InputTokenCount);
        if (truncation == "refuse")
        {
            var refused = await Assert.ThrowsAsync<ContextLengthExceededException>(() => over);
            Assert.Contains($"has {reported + 1} tokens", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"at most {reported}", refused.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal((long?)reported, (await over).Usage?.InputTokenCount);
        }
    }

    [Fact]
    public void The_validator_names_a_bad_seq2seq_setting()
    {
        var options = new ModelDeploymentOptions
        {
            Deployments = new() { ["a"] = new() { Model = "m", Seq2Seq = new() { NumBeams = 0, MaxNewTokens = 0, Truncation = "cut" } } },
        };

        var failures = new ModelDeploymentOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(failures, f => f.StartsWith("Models:Deployments:a:Seq2Seq:NumBeams", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Models:Deployments:a:Seq2Seq:MaxNewTokens", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Models:Deployments:a:Seq2Seq:Truncation", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _bart.Dispose();
        _store.Dispose();
    }

    // A source of exactly this many tokens, special tokens included: the tiny tokenizer gives each ASCII byte one token.
    private string Source(int tokens)
    {
        using var model = Seq2SeqTextModel.Load(_bart.Folder, new Seq2SeqModelOptions { Engine = new CpuEngineOptions { Threads = 1 } });
        int specials = model.Tokenizer.Encode("a", addSpecialTokens: true).Count - 1;
        string text = new('a', tokens - specials);
        Assert.Equal(tokens, model.Tokenizer.Encode(text, addSpecialTokens: true).Count);
        return text;
    }

    private ModelDeployments Create(Dictionary<string, DeploymentOptions> deployments) =>
        new(Options.Create(new ModelDeploymentOptions { Deployments = deployments, CpuMemoryBytes = 1L << 34 }), _store.Store);
}
