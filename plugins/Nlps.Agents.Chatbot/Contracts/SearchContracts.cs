namespace Nlps.Agents.Chatbot.Contracts;

/// <summary>
/// A retrieval query. Mode is bm25, dense or hybrid (the default; without an embedding model it is bm25 alone, and
/// says so). With <paramref name="Expand"/> the BM25 query is expanded with related keywords from the keyword graph agent.
/// </summary>
public sealed record SearchRequest(string Kb, string Query, string Mode = "hybrid", int Limit = 5, bool Expand = false);

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

/// <summary>The ranked passages, and the keywords the BM25 query was expanded with (empty without expansion).</summary>
public sealed record SearchResponse(string Kb, string Mode, IReadOnlyList<PassageHit> Passages, IReadOnlyList<string> Notes, IReadOnlyList<string> Expansion);

/// <summary>What the chatbot asks the keyword graph agent's <c>related</c> operation.</summary>
public sealed record ExpansionRequest(string Text, int Limit);

/// <summary>The part of the keyword graph agent's <c>related</c> answer the chatbot reads.</summary>
public sealed record ExpansionResponse(IReadOnlyList<ExpansionKeyword> Related);

/// <summary>A keyword related to the query.</summary>
public sealed record ExpansionKeyword(string Keyword, double Score);
