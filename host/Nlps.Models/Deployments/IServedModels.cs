namespace Nlps.Models.Deployments;

/// <summary>
/// The models an OpenAI-compatible surface serves: the appliance's scheduled deployments, or the one model of a
/// standalone engine process (<c>nlpsd engine serve</c>).
/// </summary>
public interface IServedModels
{
    /// <summary>Every served model, by name.</summary>
    IReadOnlyList<DeploymentInfo> List();

    /// <summary>The model served as <paramref name="name"/>, or null.</summary>
    DeploymentInfo? Find(string name);

    /// <summary>A lease on the model, starting it when needed. Dispose it when the request ends.</summary>
    /// <exception cref="Scheduling.ModelUnavailableException">Unknown (404), or it cannot be served now (503, with Retry-After).</exception>
    Task<DeploymentLease> AcquireAsync(string name, CancellationToken cancellationToken);

    /// <summary>A lease on an embedding model, as <see cref="AcquireAsync"/> otherwise.</summary>
    /// <exception cref="Scheduling.ModelUnavailableException">Unknown (404), a chat model (400), or it cannot be served now (503, with Retry-After).</exception>
    Task<EmbeddingLease> AcquireEmbeddingAsync(string name, CancellationToken cancellationToken);
}
