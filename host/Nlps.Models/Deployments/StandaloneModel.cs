using Nlps.Inference.Engine;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Deployments;

/// <summary>
/// The one model of a standalone engine process (<c>nlpsd engine serve</c>): loaded at start, served under one or more
/// names, at most <c>maxConcurrency</c> requests at once; more wait (the caller's cancellation ends the wait).
/// </summary>
public sealed class StandaloneModel : IServedModels, IDisposable
{
    private readonly CpuLanguageModel _model;
    private readonly SemaphoreSlim _slots;
    private readonly List<DeploymentInfo> _names;

    private StandaloneModel(CpuLanguageModel model, IReadOnlyList<string> names, int maxConcurrency, DateTimeOffset created)
    {
        _model = model;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        _names = names.Select(n => new DeploymentInfo(n, model.Id, [], model.MaxContextTokens, created)).ToList();
    }

    /// <summary>Loads the model folder (config.json, safetensors, tokenizer.json).</summary>
    /// <param name="servedNames">Names clients use as <c>model</c>; empty for the folder's name.</param>
    public static StandaloneModel Load(string folder, IReadOnlyList<string> servedNames, CpuEngineOptions options, int maxConcurrency, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(servedNames);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        CpuLanguageModel model = CpuLanguageModel.Load(folder, options, timeProvider);
        return new StandaloneModel(model, servedNames.Count > 0 ? servedNames : [model.Id], maxConcurrency, timeProvider.GetUtcNow());
    }

    public IReadOnlyList<DeploymentInfo> List() => _names;

    public DeploymentInfo? Find(string name) => _names.Find(n => n.Name == name);

    public async Task<DeploymentLease> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        if (Find(name) is null)
        {
            throw new ModelUnavailableException("deployment_unknown", $"no model '{name}'", retryAfter: null);
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new DeploymentLease(name, _model, new LanguageModelChatClient(_model), new Release(_slots));
    }

    public void Dispose()
    {
        _model.Dispose();
        _slots.Dispose();
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
