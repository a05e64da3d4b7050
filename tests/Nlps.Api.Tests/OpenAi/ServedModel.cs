using Nlps.Api.Tests.Support;
using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Engine;
using Nlps.Testing.Models;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>
/// An in-process appliance serving a tiny random-weight Llama-3-shaped model (written to a temp folder and imported
/// through the model store) as deployment "tiny" with role "chat"; plus the same model loaded directly, so tests can
/// compare what the API returns with what the engine produces.
/// </summary>
internal sealed class ServedModel : IAsyncDisposable
{
    public const string Deployment = "tiny";
    public const string ModelId = "tiny-llama";

    private readonly TinyModel _model;

    private ServedModel(TinyModel model, TestAppliance appliance, CpuLanguageModel reference, string deployment)
    {
        Name = deployment;
        _model = model;
        Appliance = appliance;
        Reference = reference;
    }

    public TestAppliance Appliance { get; }

    /// <summary>The deployment name.</summary>
    public string Name { get; }

    /// <summary>The same model, loaded outside the appliance.</summary>
    public CpuLanguageModel Reference { get; }

    public string Folder => _model.Folder;

    /// <param name="settings">More configuration (e.g. concurrency, scheduler queue), keyed like nlps.json.</param>
    /// <param name="spec">The model's shape; default Llama 3 with 256 positions.</param>
    /// <param name="deployment">The deployment name.</param>
    /// <param name="beforeStart">Runs after the import, before the host starts (e.g. to damage the stored copy).</param>
    public static async Task<ServedModel> StartAsync(
        IDictionary<string, string?>? settings = null, TinyModelSpec? spec = null, string deployment = Deployment, Action<string>? beforeStart = null)
    {
        var model = TinyModel.Create(spec ?? TinyModelSpec.Llama3);
        var config = new Dictionary<string, string?>
        {
            [$"Models:Deployments:{deployment}:Model"] = ModelId,
            [$"Models:Deployments:{deployment}:Roles:0"] = "chat",
            [$"Models:Deployments:{deployment}:Threads"] = "1",
            [$"Models:Deployments:{deployment}:MaxConcurrency"] = "4",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var appliance = new TestAppliance(config);
        await appliance.ImportModelAsync(model.Folder, ModelId);
        beforeStart?.Invoke(Path.Combine(appliance.StateDirectory, "models", ModelId));
        _ = appliance.Services;
        return new ServedModel(model, appliance, CpuLanguageModel.Load(model.Folder, new CpuEngineOptions { Threads = 1 }), deployment);
    }

    /// <summary>What the engine itself answers, greedy, for one user message.</summary>
    public async Task<(string Text, int PromptTokens, int CompletionTokens, FinishReason Reason)> ExpectedAsync(string user, int maxTokens, bool ignoreEos = false)
    {
        var prompt = Reference.EncodeChat([new ChatTurn("user", user)]);
        var (text, reason, completion) = await Reference.GenerateAsync(prompt, new GenerationOptions { MaxTokens = maxTokens, IgnoreEndOfSequence = ignoreEos }, CancellationToken.None).CompleteAsync();
        return (text, prompt.Count, completion, reason);
    }

    public async ValueTask DisposeAsync()
    {
        await Appliance.DisposeAsync();
        Reference.Dispose();
        _model.Dispose();
    }
}
