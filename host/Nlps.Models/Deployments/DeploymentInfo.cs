namespace Nlps.Models.Deployments;

/// <summary>A configured deployment as clients see it (<c>GET /v1/models</c>).</summary>
/// <param name="Name">The deployment name: the <c>model</c> a client asks for.</param>
/// <param name="ModelId">The stored model behind it.</param>
/// <param name="MaxContext">Most tokens (prompt + output) per request.</param>
/// <param name="Created">When the stored model was imported.</param>
/// <param name="IsEmbedding">An encoder served for embeddings (<c>/v1/embeddings</c>, embedding roles) rather than a chat model.</param>
/// <param name="Adapters">The LoRA adapters served on this deployment as <c>name:adapter</c>; null or empty for none.</param>
/// <param name="Parent">For an adapter (<c>deployment:adapter</c>): the deployment it runs on; null otherwise.</param>
public sealed record DeploymentInfo(
    string Name,
    string ModelId,
    IReadOnlyList<string> Roles,
    int MaxContext,
    DateTimeOffset Created,
    bool IsEmbedding = false,
    IReadOnlyList<string>? Adapters = null,
    string? Parent = null);
