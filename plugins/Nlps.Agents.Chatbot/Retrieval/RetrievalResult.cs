using Nlps.Agents.Chatbot.Contracts;

namespace Nlps.Agents.Chatbot.Retrieval;

/// <summary>Ranked passages plus the best raw score of each retriever (for the refusal decision).</summary>
internal sealed record RetrievalResult(string Mode, IReadOnlyList<PassageHit> Passages, IReadOnlyList<string> Notes, double? BestBm25, double? BestDense);
