namespace Nlps.Inference.Engine;

/// <summary>What the appliance's chat clients and embedding generators answer to <c>GetService</c>: their metadata, themselves, or what they wrap.</summary>
public static class ClientServices
{
    /// <param name="client">The client asked.</param>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">A key; keyed services are none of ours.</param>
    /// <param name="metadata">The client's metadata (<c>ChatClientMetadata</c> or <c>EmbeddingGeneratorMetadata</c>).</param>
    /// <param name="inner">What the client wraps (e.g. the loaded model), offered when the client itself is not of the type.</param>
    public static object? Resolve(object client, Type serviceType, object? serviceKey, object metadata, object? inner = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(serviceType);
        ArgumentNullException.ThrowIfNull(metadata);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == metadata.GetType())
        {
            return metadata;
        }

        return serviceType.IsInstanceOfType(client) ? client : inner is not null && serviceType.IsInstanceOfType(inner) ? inner : null;
    }
}
