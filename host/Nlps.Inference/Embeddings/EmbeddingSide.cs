namespace Nlps.Inference.Embeddings;

/// <summary>Which side of a retrieval pair a text is: a query, or a passage to be found.</summary>
public enum EmbeddingSide
{
    /// <summary>A search query (DPR's question encoder; e5's <c>query: </c> prefix).</summary>
    Query,

    /// <summary>A passage or document (DPR's context encoder; e5's <c>passage: </c> prefix).</summary>
    Passage,
}
