using Microsoft.Extensions.AI;

namespace Nlps.Inference.Embeddings;

/// <summary>What an embedding generator of this engine answers to <c>GetService</c>: its metadata, or itself.</summary>
public static class EmbeddingGeneratorServices
{
    /// <param name="generator">The generator asked.</param>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">A key; keyed services are none of ours.</param>
    /// <param name="metadata">The generator's metadata (provider, model, dimensions).</param>
    public static object? Resolve(object generator, Type serviceType, object? serviceKey, EmbeddingGeneratorMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata : serviceType.IsInstanceOfType(generator) ? generator : null;
    }
}
