namespace Nlps.Models.Deployments;

/// <summary>The <c>Task</c> values of a remote deployment: what its model serves.</summary>
public static class DeploymentTask
{
    public const string Chat = "chat";

    public const string Embedding = "embedding";

    /// <summary>True for an embedding model; false for chat; null for anything else.</summary>
    public static bool? IsEmbedding(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        Chat => false,
        Embedding => true,
        _ => null,
    };
}
