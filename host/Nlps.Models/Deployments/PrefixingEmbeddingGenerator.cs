using Microsoft.Extensions.AI;
using Nlps.Inference.Embeddings;

namespace Nlps.Models.Deployments;

/// <summary>
/// Puts the deployment's query or passage prefix (e.g. multilingual-e5's <c>query: </c> / <c>passage: </c>) before each
/// text on the way to an engine that knows nothing of sides (vLLM, a remote endpoint). The side comes from
/// <c>options.AdditionalProperties["nlps.embedding_side"]</c> as for the built-in engine, else the deployment's default.
/// </summary>
internal sealed class PrefixingEmbeddingGenerator(
    IEmbeddingGenerator<string, Embedding<float>> inner, EmbeddingSide defaultSide, string queryPrefix, string passagePrefix)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        string prefix = EncoderEmbeddingGenerator.SideOf(options, defaultSide) == EmbeddingSide.Query ? queryPrefix : passagePrefix;
        return base.GenerateAsync(prefix.Length == 0 ? values : values.Select(v => prefix + v), options, cancellationToken);
    }
}
