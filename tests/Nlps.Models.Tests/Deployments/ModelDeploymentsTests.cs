using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Models.Deployments;
using Nlps.Models.Scheduling;
using Nlps.Models.Tests.Store;
using Nlps.Testing.Models;

namespace Nlps.Models.Tests.Deployments;

/// <summary>Deployments over a real model store (SQLite, folders) and the real CPU engine with tiny random models.</summary>
public sealed class ModelDeploymentsTests : IDisposable
{
    private readonly StoreFixture _store = new();
    private readonly TinyModel _model = TinyModel.Create(TinyModelSpec.Llama3);

    [Fact]
    public async Task A_deployment_loads_on_first_use_and_generates_what_the_engine_generates()
    {
        await _store.Store.ImportAsync(_model.Folder, "tiny", null, CancellationToken.None);
        await using var deployments = Create(new() { ["chat"] = new DeploymentOptions { Model = "tiny", Roles = ["chat"], Threads = 1 } });
        await deployments.StartAsync(CancellationToken.None);
        Assert.Equal(ResidencyState.Unloaded, deployments.Status().Deployments.Single().State);

        using var client = new DeployedModelRoles(deployments).GetChatClient("any.agent", "chat", out _)!;
        ChatResponse response = await client.GetResponseAsync("hello", new ChatOptions { Temperature = 0, MaxOutputTokens = 6 });

        using var direct = CpuLanguageModel.Load(_model.Folder, new CpuEngineOptions { Threads = 1 });
        using var engine = new LanguageModelChatClient(direct);
        ChatResponse expected = await engine.GetResponseAsync("hello", new ChatOptions { Temperature = 0, MaxOutputTokens = 6 });
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal("chat", response.ModelId);
        var status = deployments.Status().Deployments.Single();
        Assert.Equal((ResidencyState.Resident, 0, 1), (status.State, status.Active, status.Loads));
    }

    [Fact]
    public async Task When_ram_fits_one_deployment_using_the_other_evicts_the_idle_one()
    {
        await _store.Store.ImportAsync(_model.Folder, "tiny", null, CancellationToken.None);
        var options = new Dictionary<string, DeploymentOptions>
        {
            ["a"] = new() { Model = "tiny", Threads = 1, MaxContext = 64 },
            ["b"] = new() { Model = "tiny", Threads = 1, MaxContext = 64 },
        };
        await using var probe = Create(options);
        await probe.StartAsync(CancellationToken.None);
        long one = probe.Status().Deployments[0].BytesPerDevice[ModelDeployments.CpuDevice];

        await using var deployments = Create(options, cpuBytes: one + (one / 2));
        await deployments.StartAsync(CancellationToken.None);
        using (await deployments.AcquireAsync("a", CancellationToken.None))
        {
        }

        using (DeploymentLease lease = await deployments.AcquireAsync("b", CancellationToken.None))
        {
            Assert.Equal(64, lease.Model!.MaxContextTokens);
        }

        var status = deployments.Status();
        Assert.Equal((ResidencyState.Unloaded, 1), (status.Deployments[0].State, status.Deployments[0].Evictions));
        Assert.Equal(ResidencyState.Resident, status.Deployments[1].State);
        Assert.Contains(status.Events, e => e.Kind == "evicted" && e.DeploymentId == "a");
    }

    [Fact]
    public async Task Bf16_weights_are_estimated_at_half_the_f32_weight_bytes()
    {
        await _store.Store.ImportAsync(_model.Folder, "tiny", null, CancellationToken.None);
        await using var deployments = Create(new()
        {
            ["f32"] = new() { Model = "tiny", WeightFormat = "f32", MaxContext = 16, MaxConcurrency = 1 },
            ["bf16"] = new() { Model = "tiny", WeightFormat = "bf16", MaxContext = 16, MaxConcurrency = 1 },
        });
        await deployments.StartAsync(CancellationToken.None);
        var bytes = deployments.Status().Deployments.ToDictionary(d => d.Id, d => d.BytesPerDevice[ModelDeployments.CpuDevice]);
        Assert.True(bytes["bf16"] < bytes["f32"], $"bf16 {bytes["bf16"]} vs f32 {bytes["f32"]}");
    }

    [Fact]
    public async Task Start_refuses_a_model_missing_from_the_store_naming_the_key()
    {
        await using var deployments = Create(new() { ["chat"] = new DeploymentOptions { Model = "not-there" } });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => deployments.StartAsync(CancellationToken.None));
        Assert.Contains("Models:Deployments:chat:Model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_refuses_a_context_beyond_the_models_limit_naming_the_key()
    {
        await _store.Store.ImportAsync(_model.Folder, "tiny", null, CancellationToken.None);
        await using var deployments = Create(new() { ["chat"] = new DeploymentOptions { Model = "tiny", MaxContext = 100_000 } });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => deployments.StartAsync(CancellationToken.None));
        Assert.Contains("Models:Deployments:chat:MaxContext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_resolve_by_agent_mapping_then_default_then_the_one_deployment_listing_the_role()
    {
        var options = new ModelDeploymentOptions
        {
            Deployments = new()
            {
                ["small"] = new() { Model = "m", Roles = ["chat", "summarize"] },
                ["large"] = new() { Model = "m", Roles = ["chat"] },
            },
            Roles = new() { ["chat"] = "large" },
            Agents = new() { ["translator"] = new() { ["chat"] = "small" } },
        };
        await using var deployments = new ModelDeployments(Options.Create(options), _store.Store);
        Assert.Equal("small", deployments.ResolveRole("translator", "chat", out _));
        Assert.Equal("large", deployments.ResolveRole("keywords", "chat", out _));
        Assert.Equal("small", deployments.ResolveRole("keywords", "summarize", out _));
        Assert.Null(deployments.ResolveRole("keywords", "embed", out string reason));
        Assert.Contains("Models:Roles:embed", reason, StringComparison.Ordinal);
        Assert.Null(new DeployedModelRoles(deployments).GetEmbeddingGenerator("keywords", "chat", out reason));
        Assert.Contains("embedding", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Models:Deployments:Bad Name", "Bad Name", "m", "auto", 1)]
    [InlineData("Models:Deployments:a:Model", "a", "", "auto", 1)]
    [InlineData("Models:Deployments:a:Model", "a", "../escape", "auto", 1)]
    [InlineData("Models:Deployments:a:WeightFormat", "a", "m", "int3", 1)]
    [InlineData("Models:Deployments:a:MaxConcurrency", "a", "m", "auto", 0)]
    public void The_validator_names_the_key_of_each_bad_setting(string key, string name, string model, string format, int concurrency)
    {
        var options = new ModelDeploymentOptions { Deployments = new() { [name] = new() { Model = model, WeightFormat = format, MaxConcurrency = concurrency } } };
        var result = new ModelDeploymentOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_deployments_serving_a_role_need_a_default()
    {
        var options = new ModelDeploymentOptions
        {
            Deployments = new() { ["a"] = new() { Model = "m", Roles = ["chat"] }, ["b"] = new() { Model = "m", Roles = ["chat"] } },
            Agents = new() { ["x"] = new() { ["chat"] = "nope" } },
        };
        var failures = new ModelDeploymentOptionsValidator().Validate(null, options).Failures!;
        Assert.Contains(failures, f => f.StartsWith("Models:Roles:chat", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Models:Agents:x:chat", StringComparison.Ordinal));
        options.Roles["chat"] = "a";
        options.Agents.Clear();
        Assert.True(new ModelDeploymentOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task An_encoder_deployment_serves_the_embed_role_with_the_side_prefix_the_agent_asks_for()
    {
        using var encoder = TinyEncoder.Create(new TinyEncoderSpec());
        await _store.Store.ImportAsync(encoder.Folder, "tiny-e5", null, CancellationToken.None);
        await using var deployments = Create(new()
        {
            ["e5"] = new() { Model = "tiny-e5", Roles = ["embed"], Threads = 1, Embedding = new() { QueryPrefix = "query: ", PassagePrefix = "passage: " } },
        });
        await deployments.StartAsync(CancellationToken.None);
        var roles = new DeployedModelRoles(deployments);
        using var generator = roles.GetEmbeddingGenerator("rag", "embed", out string reason);
        Assert.True(generator is not null, reason);
        var passage = await generator.GenerateAsync(["서울 seoul"], Nlps.Sdk.Agents.EmbeddingSides.ForPassages());
        var query = await generator.GenerateAsync(["서울 seoul"]);

        using var direct = EncoderEmbeddingModel.Load(encoder.Folder);
        Assert.Equal(direct.Embed(["passage: 서울 seoul"], string.Empty, CancellationToken.None).Vectors[0], passage[0].Vector.ToArray());
        Assert.Equal(direct.Embed(["query: 서울 seoul"], string.Empty, CancellationToken.None).Vectors[0], query[0].Vector.ToArray());
        Assert.True(deployments.Find("e5")!.IsEmbedding);
        Assert.Null(roles.GetChatClient("rag", "embed", out reason));
        Assert.Contains("embedding model", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dpr_deployment_encodes_queries_with_its_query_model_and_counts_both_in_ram()
    {
        using var passageEncoder = TinyEncoder.Create(new TinyEncoderSpec { Seed = 1 });
        using var queryEncoder = TinyEncoder.Create(new TinyEncoderSpec { Seed = 2 });
        await _store.Store.ImportAsync(passageEncoder.Folder, "dpr-ctx", null, CancellationToken.None);
        await _store.Store.ImportAsync(queryEncoder.Folder, "dpr-question", null, CancellationToken.None);
        await using var deployments = Create(new()
        {
            ["single"] = new() { Model = "dpr-ctx", Threads = 1 },
            ["dpr"] = new() { Model = "dpr-ctx", Threads = 1, Embedding = new() { QueryModel = "dpr-question" } },
        });
        await deployments.StartAsync(CancellationToken.None);
        var bytes = deployments.Status().Deployments.ToDictionary(d => d.Id, d => d.BytesPerDevice[ModelDeployments.CpuDevice]);
        Assert.True(bytes["dpr"] > bytes["single"], $"dpr {bytes["dpr"]} vs single {bytes["single"]}");

        using var lease = await deployments.AcquireEmbeddingAsync("dpr", CancellationToken.None);
        using var question = EncoderEmbeddingModel.Load(queryEncoder.Folder);
        var asQuery = new EmbeddingGenerationOptions { AdditionalProperties = new() { [EncoderEmbeddingGenerator.SideOptionKey] = "query" } };
        Assert.Equal(question.Embed(["who"], string.Empty, CancellationToken.None).Vectors[0], (await lease.Generator.GenerateAsync(["who"], asQuery))[0].Vector.ToArray());
        var wrongKind = await Assert.ThrowsAsync<ModelUnavailableException>(() => deployments.AcquireAsync("dpr", CancellationToken.None));
        Assert.Contains("embedding", wrongKind.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Models:Deployments:a:Embedding:Pooling", "weighted", "refuse", "query")]
    [InlineData("Models:Deployments:a:Embedding:Truncation", "cls", "cut", "query")]
    [InlineData("Models:Deployments:a:Embedding:DefaultSide", "cls", "refuse", "document")]
    public void The_validator_names_a_bad_embedding_setting(string key, string pooling, string truncation, string side)
    {
        var options = new ModelDeploymentOptions
        {
            Deployments = new() { ["a"] = new() { Model = "m", Embedding = new() { Pooling = pooling, Truncation = truncation, DefaultSide = side } } },
        };
        var failures = new ModelDeploymentOptionsValidator().Validate(null, options).Failures!;
        Assert.Contains(failures, f => f.StartsWith(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Models:Deployments:a:Task", "images", null)]
    [InlineData("Models:Deployments:a:Embedding:QueryModel", "embedding", "dpr-question")]
    public void The_validator_names_a_bad_remote_embedding_setting(string key, string task, string? queryModel)
    {
        var options = new ModelDeploymentOptions
        {
            Remotes = new() { ["cluster"] = new() { BaseUrl = "http://127.0.0.1:9/" } },
            Deployments = new() { ["a"] = new() { Model = "m", Engine = "remote", Remote = "cluster", Task = task, Embedding = new() { QueryModel = queryModel } } },
        };
        var failures = new ModelDeploymentOptionsValidator().Validate(null, options).Failures!;
        Assert.Equal(key, Assert.Single(failures)[..key.Length]);
    }

    public void Dispose()
    {
        _model.Dispose();
        _store.Dispose();
    }

    private ModelDeployments Create(Dictionary<string, DeploymentOptions> deployments, long cpuBytes = 1L << 34) =>
        new(Options.Create(new ModelDeploymentOptions { Deployments = deployments, CpuMemoryBytes = cpuBytes }), _store.Store);
}
