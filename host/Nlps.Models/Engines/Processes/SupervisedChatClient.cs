using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Nlps.Models.Engines.Processes;

/// <summary>Refuses calls while the engine process is not ready (restarting, faulted) with the supervisor's reason; 503 upstream.</summary>
internal sealed class SupervisedChatClient(IChatClient inner, EngineSupervisor supervisor, TimeSpan retryAfter) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        supervisor.EnsureReady(retryAfter);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        supervisor.EnsureReady(retryAfter);
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }
}
