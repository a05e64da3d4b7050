using Nlps.Inference.Models;

namespace Nlps.Inference.Embeddings;

/// <summary>
/// The encoders of an embedding deployment: one model for both sides, optionally with per-side prefixes
/// (multilingual-e5: <c>query: </c> / <c>passage: </c>), or separate query and passage encoders (DPR). Both sides must
/// produce vectors of the same length so that they can be compared.
/// </summary>
public sealed class DualEncoder : IDisposable
{
    private readonly EncoderEmbeddingModel _passage;
    private readonly EncoderEmbeddingModel _query;

    /// <param name="passage">The passage encoder (and the query encoder when <paramref name="query"/> is null).</param>
    /// <param name="query">A separate query encoder, or null.</param>
    /// <param name="queryPrefix">Put before every query, e.g. <c>query: </c>.</param>
    /// <param name="passagePrefix">Put before every passage, e.g. <c>passage: </c>.</param>
    public DualEncoder(EncoderEmbeddingModel passage, EncoderEmbeddingModel? query = null, string queryPrefix = "", string passagePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(passage);
        ArgumentNullException.ThrowIfNull(queryPrefix);
        ArgumentNullException.ThrowIfNull(passagePrefix);
        _passage = passage;
        _query = query ?? passage;
        if (_query.Dimensions != _passage.Dimensions)
        {
            throw new ModelConfigException(
                $"the query encoder '{_query.Id}' makes {_query.Dimensions}-dimensional vectors but the passage encoder '{_passage.Id}' makes {_passage.Dimensions}; they cannot be compared");
        }

        QueryPrefix = queryPrefix;
        PassagePrefix = passagePrefix;
    }

    public string QueryPrefix { get; }

    public string PassagePrefix { get; }

    public int Dimensions => _passage.Dimensions;

    /// <summary>Most tokens of one input, the smaller of the two encoders' limits.</summary>
    public int MaxTokens => Math.Min(_passage.MaxTokens, _query.MaxTokens);

    /// <summary>Whether queries and passages go through different encoders.</summary>
    public bool IsDual => !ReferenceEquals(_query, _passage);

    /// <summary>Bytes of weights held by both encoders.</summary>
    public long WeightBytes => _passage.WeightBytes + (IsDual ? _query.WeightBytes : 0);

    public EncoderEmbeddingModel EncoderFor(EmbeddingSide side) => side == EmbeddingSide.Query ? _query : _passage;

    public EmbeddingResult Embed(IReadOnlyList<string> texts, EmbeddingSide side, CancellationToken cancellationToken) =>
        EncoderFor(side).Embed(texts, side == EmbeddingSide.Query ? QueryPrefix : PassagePrefix, cancellationToken);

    public void Dispose()
    {
        _passage.Dispose();
        if (IsDual)
        {
            _query.Dispose();
        }
    }
}
