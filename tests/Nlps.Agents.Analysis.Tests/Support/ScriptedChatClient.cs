using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Nlps.Agents.Analysis.Tests.Support;

/// <summary>
/// TEST DOUBLE: no chat engine exists on this branch yet, so the schema-validation and retry paths are driven by a
/// model that replies with a fixed script (the last reply repeats), and records what it was sent.
/// </summary>
internal sealed class ScriptedChatClient(params string[] replies) : IChatClient
{
    private int calls;

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add(messages.ToList());
        var reply = replies[Math.Min(calls++, replies.Length - 1)];
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, response.Text);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
