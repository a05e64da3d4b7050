using Nlps.Agents.Chatbot.Contracts;
using Nlps.Agents.Chatbot.Support;
using Nlps.Sdk.Agents;
using Microsoft.Extensions.AI;

namespace Nlps.Agents.Chatbot.Retrieval;

/// <summary>
/// BM25 over the chunk collection (optionally with the query expanded by the keyword graph agent), dense search over
/// the chunk vectors (the original query embedded on its own, with the query prefix), hybrid by reciprocal rank
/// fusion; chunks are folded into their parent passages, whose full text is returned.
/// </summary>
internal sealed class Retriever(IAgentContext context, ChatbotOptions options, QueryExpander expander)
{
    public const string Bm25 = "bm25";
    public const string Dense = "dense";
    public const string Hybrid = "hybrid";

    public async Task<RetrievalResult> SearchAsync(string kb, string query, string mode, int limit, bool expand, CancellationToken cancellationToken)
    {
        if (mode is not (Bm25 or Dense or Hybrid))
        {
            throw new AgentOperationException("invalid_mode", $"mode must be bm25, dense or hybrid; got '{mode}'");
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            throw new AgentOperationException("empty_query", "the query is empty");
        }

        if (limit is < 1 or > 50)
        {
            throw new AgentOperationException("invalid_limit", "limit must be 1 to 50");
        }

        var depth = Math.Max(limit * 4, 20);
        var notes = new List<string>();
        var lists = new List<RankedList>();
        IReadOnlyList<string> expansion = [];
        if (mode is Bm25 or Hybrid)
        {
            expansion = expand ? await expander.RelatedAsync(query, notes, cancellationToken).ConfigureAwait(false) : [];
            var bm25Query = expansion.Count == 0 ? query : $"{query} {string.Join(' ', expansion)}";
            var hits = await context.Documents.SearchAsync(KnowledgeBases.Chunks(kb), bm25Query, depth, cancellationToken).ConfigureAwait(false);
            lists.Add(RankedList.FromChunks(Bm25, hits.Select(h => (h.Chunk.Id, h.Score))));
        }

        if (mode is Dense or Hybrid)
        {
            var dense = await DenseAsync(kb, query, depth, mode == Dense, notes, cancellationToken).ConfigureAwait(false);
            if (dense is not null)
            {
                lists.Add(dense);
            }
        }

        var effective = lists.Count == 2 ? Hybrid : lists.Count == 1 ? lists[0].Retriever : mode;
        var ranked = effective == Hybrid
            ? ReciprocalRankFusion.Fuse(lists).Take(limit).ToList()
            : lists.SelectMany(l => l.Passages.Zip(l.Scores)).Take(limit).ToList();
        var passages = await context.Documents.GetChunksAsync(KnowledgeBases.Passages(kb), ranked.Select(r => r.Item1).ToList(), cancellationToken).ConfigureAwait(false);
        var byId = passages.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var results = new List<PassageHit>();
        foreach (var (passageId, score) in ranked)
        {
            if (!byId.TryGetValue(passageId, out var passage))
            {
                continue; // removed between the search and now
            }

            var found = lists
                .Select(l => (l.Retriever, Index: IndexOf(l.Passages, passageId), l.Scores))
                .Where(x => x.Index >= 0)
                .Select(x => new RetrieverHit(x.Retriever, x.Index + 1, x.Scores[x.Index]))
                .ToList();
            results.Add(new PassageHit(results.Count + 1, passageId, passage.DocumentId, passage.Metadata ?? string.Empty, passage.Text, score, found));
        }

        return new RetrievalResult(
            effective,
            results,
            notes,
            expansion,
            lists.FirstOrDefault(l => l.Retriever == Bm25)?.Scores.FirstOrDefault(),
            lists.FirstOrDefault(l => l.Retriever == Dense)?.Scores.FirstOrDefault());
    }

    private async Task<RankedList?> DenseAsync(string kb, string query, int depth, bool required, List<string> notes, CancellationToken cancellationToken)
    {
        IEmbeddingGenerator<string, Embedding<float>> embedder;
        try
        {
            embedder = context.GetEmbeddingGenerator("embed");
        }
        catch (ModelRoleUnavailableException ex) when (!required)
        {
            notes.Add($"dense retrieval skipped: {ex.Message}");
            return null;
        }

        if (!(await context.Vectors.ListCollectionsAsync(cancellationToken).ConfigureAwait(false)).Contains(KnowledgeBases.Vectors(kb)))
        {
            if (required)
            {
                throw new AgentOperationException("dense_index_missing", $"knowledge base '{kb}' has no dense index yet; ingest documents while an embedding model serves the 'embed' role", 409);
            }

            notes.Add("dense retrieval skipped: the knowledge base has no dense index (ingested without an embedding model)");
            return null;
        }

        var embedding = await embedder.GenerateAsync(options.QueryPrefix + query, cancellationToken: cancellationToken).ConfigureAwait(false);
        var matches = await context.Vectors.SearchAsync(KnowledgeBases.Vectors(kb), VectorMath.Normalized(embedding.Vector), depth, cancellationToken).ConfigureAwait(false);
        return RankedList.FromChunks(Dense, matches.Select(m => (m.Key, (double)m.Score)));
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
