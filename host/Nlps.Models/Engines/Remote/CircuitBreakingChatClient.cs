using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Nlps.Models.Engines.OpenAi;

namespace Nlps.Models.Engines.Remote;

/// <summary>
/// Chat on a remote endpoint behind its circuit breaker: refused at once (503, circuit_open) while the circuit is
/// open; an unreachable, timed-out or failing (5xx) endpoint counts against it and is reported as 503; anything the
/// server answers, a refusal included, closes it. Updates are passed on one by one as they arrive; calls are never
/// retried (a chat completion is not idempotent).
/// </summary>
internal sealed class CircuitBreakingChatClient(RemoteEndpoint endpoint, string model) : IChatClient
{
    private readonly OpenAiCompatibleChatClient _inner = new(endpoint.Http, endpoint.BaseAddress, model, endpoint.ApiKey);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        endpoint.EnsureClosed();
        bool answered = false;
        IAsyncEnumerator<ChatResponseUpdate> updates = _inner.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (RemoteEndpoint.IsEndpointFailure(ex, cancellationToken))
                {
                    throw endpoint.Failed(ex);
                }
                catch (EngineHttpException)
                {
                    endpoint.Breaker.RecordSuccess();
                    throw;
                }
                catch (OperationCanceledException)
                {
                    endpoint.Breaker.RecordNeutral();
                    throw;
                }

                if (!answered)
                {
                    answered = true;
                    endpoint.Breaker.RecordSuccess();
                }

                yield return updates.Current;
            }
        }

        if (!answered)
        {
            endpoint.Breaker.RecordSuccess();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

    public void Dispose() => _inner.Dispose();
}
