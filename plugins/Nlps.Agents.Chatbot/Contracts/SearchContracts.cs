namespace Nlps.Agents.Chatbot.Contracts;

/// <summary>A retrieval query. Mode is bm25, dense or hybrid (the default; without an embedding model it is bm25 alone, and says so).</summary>
public sealed record SearchRequest(string Kb, string Query, string Mode = "hybrid", int Limit = 5);

/// <summary>How one retriever ranked a passage.</summary>
/// <param name="Retriever">bm25 or dense.</param>
/// <param name="Rank">1-based rank among that retriever's passages.</param>
/// <param name="Score">That retriever's score (BM25, or cosine).</param>
public sealed record RetrieverHit(string Retriever, int Rank, double Score);

/// <summary>A parent passage found for a query.</summary>
/// <param name="Rank">1-based rank in the answer.</param>
/// <param name="PassageId">The passage's id.</param>
/// <param name="DocumentId">The document it comes from.</param>
/// <param name="Heading">The headings above it.</param>
/// <param name="Text">The full passage (restored from the chunk that matched).</param>
/// <param name="Score">The fused score (reciprocal rank fusion for hybrid; the retriever's own score otherwise).</param>
/// <param name="Retrievers">Which retrievers found it.</param>
public sealed record PassageHit(int Rank, string PassageId, string DocumentId, string Heading, string Text, double Score, IReadOnlyList<RetrieverHit> Retrievers);

/// <summary>The ranked passages.</summary>
public sealed record SearchResponse(string Kb, string Mode, IReadOnlyList<PassageHit> Passages, IReadOnlyList<string> Notes);
