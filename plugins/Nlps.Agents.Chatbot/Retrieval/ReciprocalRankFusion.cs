namespace Nlps.Agents.Chatbot.Retrieval;

/// <summary>
/// Reciprocal rank fusion (Cormack et al. 2009): score(p) = Σ over retrievers of 1 / (k + rank), k = 60. Ranks only,
/// so BM25 and cosine scores need no calibration against each other. Ties keep the order of first appearance.
/// </summary>
internal static class ReciprocalRankFusion
{
    public const int K = 60;

    public static IReadOnlyList<(string Passage, double Score)> Fuse(IReadOnlyList<RankedList> lists)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var list in lists)
        {
            for (var i = 0; i < list.Passages.Count; i++)
            {
                var passage = list.Passages[i];
                if (!scores.TryGetValue(passage, out var score))
                {
                    order.Add(passage);
                }

                scores[passage] = score + (1.0 / (K + i + 1));
            }
        }

        return order.Select((p, i) => (Passage: p, Score: scores[p], First: i))
            .OrderByDescending(x => x.Score).ThenBy(x => x.First)
            .Select(x => (x.Passage, x.Score)).ToList();
    }
}
