using Nlps.Inference.Embeddings;
using Nlps.Inference.Engine;
using Nlps.Models.Estimation;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Deployments;

/// <summary>
/// The one model of a standalone engine process (<c>nlpsd engine serve</c>): a chat model or an encoder (served on
/// <c>/v1/embeddings</c>, as vLLM's pooling runner is), loaded at start, served under one or more names, at most
/// <c>maxConcurrency</c> requests at once; more wait (the caller's cancellation ends the wait).
/// </summary>
public sealed class StandaloneModel : IServedModels, IDisposable
{
    private readonly CpuLanguageModel? _model;
    private readonly DualEncoder? _encoder;
    private readonly SemaphoreSlim _slots;
    private readonly List<DeploymentInfo> _names;

    private StandaloneModel(CpuLanguageModel? model, DualEncoder? encoder, List<DeploymentInfo> names, int maxConcurrency)
    {
        _model = model;
        _encoder = encoder;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        _names = names;
    }

    /// <summary>Loads the model folder (config.json, safetensors, tokenizer.json); an encoder architecture (BERT, XLM-R) is served for embeddings.</summary>
    /// <param name="folder">The model folder.</param>
    /// <param name="servedNames">Names clients use as <c>model</c>; empty for the folder's name.</param>
    /// <param name="options">How a chat model is loaded; an encoder takes only its thread count.</param>
    /// <param name="maxConcurrency">Requests served at once.</param>
    /// <param name="timeProvider">The clock.</param>
    public static StandaloneModel Load(string folder, IReadOnlyList<string> servedNames, CpuEngineOptions options, int maxConcurrency, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(servedNames);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        ModelArchitecture architecture = ModelConfigReader.Parse(File.ReadAllText(Path.Combine(folder, "config.json")), Path.Combine(folder, "config.json"));
        DateTimeOffset created = timeProvider.GetUtcNow();
        if (architecture.Family == ModelFamily.Encoder)
        {
            var encoder = new DualEncoder(EncoderEmbeddingModel.Load(folder, new EncoderEmbeddingModelOptions { Threads = options.Threads }));
            IReadOnlyList<string> encoderNames = servedNames.Count > 0 ? servedNames : [Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))];
            return new StandaloneModel(null, encoder, encoderNames.Select(n => new DeploymentInfo(n, n, [], encoder.MaxTokens, created, IsEmbedding: true)).ToList(), maxConcurrency);
        }

        CpuLanguageModel model = CpuLanguageModel.Load(folder, options, timeProvider);
        IReadOnlyList<string> names = servedNames.Count > 0 ? servedNames : [model.Id];
        return new StandaloneModel(model, null, names.Select(n => new DeploymentInfo(n, model.Id, [], model.MaxContextTokens, created)).ToList(), maxConcurrency);
    }

    public IReadOnlyList<DeploymentInfo> List() => _names;

    public DeploymentInfo? Find(string name) => _names.Find(n => n.Name == name);

    public async Task<DeploymentLease> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        CpuLanguageModel model = Known(name, _model, "an embedding");
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new DeploymentLease(name, model, new LanguageModelChatClient(model), new Release(_slots));
    }

    public async Task<EmbeddingLease> AcquireEmbeddingAsync(string name, CancellationToken cancellationToken)
    {
        DualEncoder encoder = Known(name, _encoder, "a chat");
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new EmbeddingLease(name, new EncoderEmbeddingGenerator(encoder, name), new Release(_slots));
    }

    public void Dispose()
    {
        _model?.Dispose();
        _encoder?.Dispose();
        _slots.Dispose();
    }

    private T Known<T>(string name, T? loaded, string otherKind)
        where T : class
    {
        if (Find(name) is null)
        {
            throw new ModelUnavailableException("deployment_unknown", $"no model '{name}'", retryAfter: null);
        }

        return loaded ?? throw new ModelUnavailableException("wrong_model_kind", $"model '{name}' is {otherKind} model", retryAfter: null);
    }

    private sealed class Release(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
