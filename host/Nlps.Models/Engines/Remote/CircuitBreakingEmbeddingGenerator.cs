using Microsoft.Extensions.AI;
using Nlps.Models.Engines.OpenAi;

namespace Nlps.Models.Engines.Remote;

/// <summary>
/// Embeddings on a remote endpoint behind its circuit breaker. Unlike a chat completion, an embedding call may be
/// repeated without harm, so a failure is retried the endpoint's bounded number of times before it counts.
/// </summary>
internal sealed class CircuitBreakingEmbeddingGenerator(RemoteEndpoint endpoint, string model) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly OpenAiCompatibleEmbeddingGenerator _inner = new(endpoint.Http, endpoint.BaseAddress, model, endpoint.ApiKey);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        List<string> inputs = [.. values];
        return endpoint.CallIdempotentAsync(token => _inner.GenerateAsync(inputs, options, token), cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

    public void Dispose() => _inner.Dispose();
}
