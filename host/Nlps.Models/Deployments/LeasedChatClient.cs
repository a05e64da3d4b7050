using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Nlps.Inference.Engine;

namespace Nlps.Models.Deployments;

/// <summary>
/// The chat client an agent gets for a role: each call leases the deployment from the scheduler (loading it when
/// needed) and releases it when the response is complete, so an agent that keeps the client does not keep the model
/// loaded. A deployment that cannot be served throws <see cref="Scheduling.ModelUnavailableException"/>, which the
/// agent API answers with 503 and Retry-After.
/// </summary>
public sealed class LeasedChatClient(ModelDeployments deployments, string deployment) : IChatClient
{
    private readonly ModelDeployments _deployments = deployments ?? throw new ArgumentNullException(nameof(deployments));

    public string Deployment { get; } = deployment ?? throw new ArgumentNullException(nameof(deployment));

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using DeploymentLease lease = await _deployments.AcquireAsync(Deployment, cancellationToken).ConfigureAwait(false);
        await foreach (ChatResponseUpdate update in lease.ChatClient.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            update.ModelId = Deployment;
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Resolve(this, serviceType, serviceKey, new ChatClientMetadata("nlps-cpu", defaultModelId: Deployment));

    public void Dispose()
    {
        // Nothing is held between calls.
    }
}
