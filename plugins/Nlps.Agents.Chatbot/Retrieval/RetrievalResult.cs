using Nlps.Agents.Chatbot.Contracts;

namespace Nlps.Agents.Chatbot.Retrieval;

/// <summary>Ranked passages, the keywords the BM25 query was expanded with, and the best raw score of each retriever (for the refusal decision).</summary>
internal sealed record RetrievalResult(string Mode, IReadOnlyList<PassageHit> Passages, IReadOnlyList<string> Notes, IReadOnlyList<string> Expansion, double? BestBm25, double? BestDense);
