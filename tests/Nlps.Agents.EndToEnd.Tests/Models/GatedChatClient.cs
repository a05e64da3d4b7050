using Microsoft.Extensions.AI;

namespace Nlps.Agents.TestModels;

/// <summary>
/// TEST DOUBLE around <see cref="ScriptedChatClient"/> that counts the model calls, lets the first
/// <paramref name="passingCalls"/> through and holds every later one until <see cref="Open"/> or its cancellation
/// token, so a test can stop a translation job between segments without timing. Call number
/// <paramref name="failingCall"/> (1-based; 0 for none) throws, as a model engine that went away would.
/// </summary>
public sealed class GatedChatClient(ScriptedChatClient inner, int passingCalls = int.MaxValue, int failingCall = 0) : IChatClient
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int calls;

    /// <summary>Model calls made, the held ones included.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Completes when a call is first held at the gate.</summary>
    public Task Held => held.Task;

    public void Open() => gate.TrySetResult();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref calls);
        if (call == failingCall)
        {
            throw new HttpRequestException("the model engine went away");
        }

        if (call > passingCalls && !gate.Task.IsCompleted)
        {
            held.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }

        return await inner.GetResponseAsync(messages, options, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
