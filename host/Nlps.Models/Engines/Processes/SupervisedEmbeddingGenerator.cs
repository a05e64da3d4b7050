using Microsoft.Extensions.AI;

namespace Nlps.Models.Engines.Processes;

/// <summary>Refuses embedding calls while the engine process is not ready (restarting, faulted) with the supervisor's reason; 503 upstream.</summary>
internal sealed class SupervisedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, EngineSupervisor supervisor, TimeSpan retryAfter)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        supervisor.EnsureReady(retryAfter);
        return base.GenerateAsync(values, options, cancellationToken);
    }
}
