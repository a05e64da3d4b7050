using Microsoft.Extensions.AI;

namespace Nlps.Agents.Chatbot.Tests.Support;

/// <summary>
/// TEST DOUBLE around <see cref="HashedNGramEmbedder"/> that lets the first <paramref name="passingCalls"/> calls
/// through and holds every later one until <see cref="Open"/> or its cancellation token, so a test can catch an
/// ingestion job in the middle of a document without timing.
/// </summary>
internal sealed class GatedEmbedder(HashedNGramEmbedder inner, int passingCalls) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int calls;

    /// <summary>Completes when a call is first held at the gate.</summary>
    public Task Held => held.Task;

    public void Open() => gate.TrySetResult();

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref calls) > passingCalls && !gate.Task.IsCompleted)
        {
            held.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }

        return await inner.GenerateAsync(values, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
