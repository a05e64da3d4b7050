using Microsoft.Extensions.AI;
using Nlps.Inference.Engine;

namespace Nlps.Inference.Embeddings;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a <see cref="DualEncoder"/>. The side comes from
/// <c>options.AdditionalProperties["nlps.embedding_side"]</c> (<c>query</c> or <c>passage</c>, the SDK's
/// <c>EmbeddingSides</c>), else the default side. A requested <c>Dimensions</c> other than the model's is refused,
/// never ignored. The encoder runs on the thread pool; the caller's thread is not blocked.
/// </summary>
public sealed class EncoderEmbeddingGenerator(DualEncoder encoder, string modelId, EmbeddingSide defaultSide = EmbeddingSide.Query)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key that chooses the side.</summary>
    public const string SideOptionKey = "nlps.embedding_side";

    private readonly DualEncoder _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
    private readonly string _modelId = modelId ?? throw new ArgumentNullException(nameof(modelId));

    /// <summary>The side <paramref name="options"/> asks for, or <paramref name="fallback"/>; an unknown value throws <see cref="ArgumentException"/>.</summary>
    public static EmbeddingSide SideOf(EmbeddingGenerationOptions? options, EmbeddingSide fallback)
    {
        if (options?.AdditionalProperties is null || !options.AdditionalProperties.TryGetValue(SideOptionKey, out object? value) || value is null)
        {
            return fallback;
        }

        return value.ToString()?.ToLowerInvariant() switch
        {
            "query" => EmbeddingSide.Query,
            "passage" => EmbeddingSide.Passage,
            _ => throw new ArgumentException($"{SideOptionKey} is '{value}'; use 'query' or 'passage'", nameof(options)),
        };
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        List<string> texts = [.. values];
        EmbeddingSide side = SideOf(options, defaultSide);
        if (options?.Dimensions is int dimensions && dimensions != _encoder.Dimensions)
        {
            throw new ArgumentException($"dimensions {dimensions} was asked for; model '{_modelId}' makes {_encoder.Dimensions}-dimensional vectors and does not shorten them", nameof(options));
        }

        EmbeddingResult result = await Task.Run(() => _encoder.Embed(texts, side, cancellationToken), cancellationToken).ConfigureAwait(false);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(result.Vectors.Select(v => new Embedding<float>(v) { ModelId = _modelId }))
        {
            Usage = new UsageDetails { InputTokenCount = result.Tokens, TotalTokenCount = result.Tokens },
        };
        return embeddings;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Resolve(this, serviceType, serviceKey, new EmbeddingGeneratorMetadata("nlps-cpu", defaultModelId: _modelId, defaultModelDimensions: _encoder.Dimensions));

    public void Dispose()
    {
        // The encoder belongs to whoever loaded it (the deployment's backend).
    }
}
