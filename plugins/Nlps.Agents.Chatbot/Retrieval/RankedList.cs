namespace Nlps.Agents.Chatbot.Retrieval;

/// <summary>One retriever's passages in rank order (already de-duplicated by parent passage), with its own scores.</summary>
/// <param name="Retriever">bm25 or dense.</param>
/// <param name="Passages">Passage ids, best first.</param>
/// <param name="Scores">The retriever's score for each passage (its best chunk's).</param>
internal sealed record RankedList(string Retriever, IReadOnlyList<string> Passages, IReadOnlyList<double> Scores)
{
    /// <summary>Keeps each passage at the rank of its best chunk. Chunk ids are "passage id.chunk number".</summary>
    public static RankedList FromChunks(string retriever, IEnumerable<(string ChunkId, double Score)> chunks)
    {
        var passages = new List<string>();
        var scores = new List<double>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (chunkId, score) in chunks)
        {
            var passage = ParentOf(chunkId);
            if (seen.Add(passage))
            {
                passages.Add(passage);
                scores.Add(score);
            }
        }

        return new RankedList(retriever, passages, scores);
    }

    public static string ParentOf(string chunkId)
    {
        var dot = chunkId.LastIndexOf('.');
        return dot > 0 ? chunkId[..dot] : chunkId;
    }
}
