using Microsoft.Extensions.AI;

namespace Nlps.Sdk.Agents;

/// <summary>
/// Asks an embedding role for query or passage vectors. Retrieval models treat the two differently: a DPR deployment
/// has a separate question encoder, multilingual-e5 wants <c>query: </c> or <c>passage: </c> before the text; the
/// appliance applies whatever the deployment configures. Without a side the deployment's default (query) is used.
/// </summary>
/// <example><code>
/// var generator = context.GetEmbeddingGenerator("embed");
/// var passages = await generator.GenerateAsync(chunks, EmbeddingSides.ForPassages());
/// var query = await generator.GenerateAsync([question], EmbeddingSides.ForQueries());
/// </code></example>
public static class EmbeddingSides
{
    /// <summary>The <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key the appliance reads.</summary>
    public const string OptionKey = "nlps.embedding_side";

    /// <summary>The value for search queries.</summary>
    public const string Query = "query";

    /// <summary>The value for passages and documents to be found.</summary>
    public const string Passage = "passage";

    /// <summary>Options (a copy of <paramref name="options"/> when given) that ask for query vectors.</summary>
    /// <param name="options">Options to start from, or null.</param>
    public static EmbeddingGenerationOptions ForQueries(EmbeddingGenerationOptions? options = null) => With(options, Query);

    /// <summary>Options (a copy of <paramref name="options"/> when given) that ask for passage vectors.</summary>
    /// <param name="options">Options to start from, or null.</param>
    public static EmbeddingGenerationOptions ForPassages(EmbeddingGenerationOptions? options = null) => With(options, Passage);

    private static EmbeddingGenerationOptions With(EmbeddingGenerationOptions? options, string side)
    {
        EmbeddingGenerationOptions copy = options?.Clone() ?? new EmbeddingGenerationOptions();
        copy.AdditionalProperties ??= [];
        copy.AdditionalProperties[OptionKey] = side;
        return copy;
    }
}
