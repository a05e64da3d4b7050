using Nlps.Agents.KeywordGraph.Contracts;

namespace Nlps.Agents.KeywordGraph.Graph;

/// <summary>
/// The keyword graph in memory: nodes are keywords with their document frequency (passages that contain them),
/// edges count the passages two keywords share, and NPMI = PMI / −log p(a,b) with
/// PMI = log(p(a,b) / (p(a) p(b))) over passages ranks how much more often they meet than by chance (−1..1).
/// Documents add and remove their contribution, so re-ingesting a document replaces it. Not thread-safe: the agent
/// serialises writers and lets readers take a lock.
/// </summary>
internal sealed class CooccurrenceGraph
{
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
    private readonly List<string> names = [];
    private readonly List<int> frequency = [];
    private readonly List<Dictionary<int, int>> adjacency = [];
    private readonly Dictionary<string, StoredDocument> documents = new(StringComparer.Ordinal);
    private readonly List<KeywordRelation> relations = [];

    public int Passages { get; private set; }

    public int Documents => documents.Count;

    public int Nodes => frequency.Count(f => f > 0);

    public int Edges => adjacency.Sum(a => a.Count) / 2;

    public int Relations => relations.Count;

    public void Put(StoredDocument document)
    {
        Remove(document.Id);
        documents[document.Id] = document;
        Apply(document, +1);
        relations.AddRange(document.Relations);
    }

    public bool Remove(string id)
    {
        if (!documents.Remove(id, out var old))
        {
            return false;
        }

        Apply(old, -1);
        foreach (var relation in old.Relations)
        {
            relations.Remove(relation);
        }

        return true;
    }

    public bool Contains(string keyword) => ids.TryGetValue(keyword, out var id) && frequency[id] > 0;

    public int Frequency(string keyword) => ids.TryGetValue(keyword, out var id) ? frequency[id] : 0;

    public IReadOnlyList<Neighbour> Neighbours(string keyword, int limit)
    {
        if (!ids.TryGetValue(keyword, out var id))
        {
            return [];
        }

        return [.. adjacency[id]
            .Select(e => new Neighbour(names[e.Key], e.Value, Npmi(id, e.Key, e.Value)))
            .OrderByDescending(n => n.Npmi)
            .ThenByDescending(n => n.Count)
            .ThenBy(n => n.Keyword, StringComparer.Ordinal)
            .Take(limit)];
    }

    public IReadOnlyList<KeywordRelation> RelationsOf(string keyword) =>
        [.. relations.Where(r => r.Subject == keyword || r.Object == keyword).Distinct()];

    /// <summary>Breadth-first shortest path in hops; neighbours are visited in ordinal order so the answer is stable.</summary>
    public IReadOnlyList<string> ShortestPath(string from, string to, int maxHops)
    {
        if (!ids.TryGetValue(from, out var start) || !ids.TryGetValue(to, out var goal))
        {
            return [];
        }

        var previous = new Dictionary<int, int> { [start] = -1 };
        var frontier = new List<int> { start };
        for (var hop = 0; hop < maxHops && frontier.Count > 0 && !previous.ContainsKey(goal); hop++)
        {
            var next = new List<int>();
            foreach (var node in frontier)
            {
                foreach (var neighbour in adjacency[node].Keys.OrderBy(k => names[k], StringComparer.Ordinal))
                {
                    if (previous.TryAdd(neighbour, node))
                    {
                        next.Add(neighbour);
                    }
                }
            }

            frontier = next;
        }

        if (!previous.ContainsKey(goal))
        {
            return [];
        }

        var path = new List<string>();
        for (var node = goal; node >= 0; node = previous[node])
        {
            path.Add(names[node]);
        }

        path.Reverse();
        return path;
    }

    public IReadOnlyList<RelatedKeyword> Related(IReadOnlyList<string> seeds, int limit)
    {
        var seedIds = seeds.Where(ids.ContainsKey).Select(s => ids[s]).ToHashSet();
        var scores = new Dictionary<int, double>();
        foreach (var seed in seedIds)
        {
            foreach (var (other, count) in adjacency[seed])
            {
                var npmi = Npmi(seed, other, count);
                if (!seedIds.Contains(other) && npmi > 0)
                {
                    scores[other] = scores.GetValueOrDefault(other) + npmi;
                }
            }
        }

        return [.. scores
            .Select(s => new RelatedKeyword(names[s.Key], Math.Round(s.Value, 4)))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Keyword, StringComparer.Ordinal)
            .Take(limit)];
    }

    /// <summary>The nodes within <paramref name="depth"/> hops of <paramref name="keyword"/> (strongest neighbours first, at most <paramref name="limit"/>) and the edges among them.</summary>
    public (IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges) Subgraph(string keyword, int depth, int limit)
    {
        if (!ids.TryGetValue(keyword, out var root))
        {
            return ([], []);
        }

        var chosen = new List<int> { root };
        var seen = new HashSet<int> { root };
        var frontier = new List<int> { root };
        for (var level = 0; level < depth && chosen.Count < limit; level++)
        {
            var next = new List<int>();
            foreach (var node in frontier)
            {
                foreach (var neighbour in Neighbours(names[node], int.MaxValue))
                {
                    var id = ids[neighbour.Keyword];
                    if (chosen.Count < limit && seen.Add(id))
                    {
                        chosen.Add(id);
                        next.Add(id);
                    }
                }
            }

            frontier = next;
        }

        var edges = new List<GraphEdge>();
        foreach (var a in chosen)
        {
            foreach (var (b, count) in adjacency[a])
            {
                if (seen.Contains(b) && string.CompareOrdinal(names[a], names[b]) < 0)
                {
                    edges.Add(new GraphEdge(names[a], names[b], count, Npmi(a, b, count)));
                }
            }
        }

        return ([.. chosen.Select(id => new GraphNode(names[id], frequency[id]))], [.. edges.OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Target, StringComparer.Ordinal)]);
    }

    private double Npmi(int a, int b, int count)
    {
        if (Passages == 0 || count == 0)
        {
            return 0;
        }

        var pab = (double)count / Passages;
        if (pab >= 1)
        {
            return 1;
        }

        var pmi = Math.Log(pab / ((double)frequency[a] / Passages * ((double)frequency[b] / Passages)));
        return Math.Round(pmi / -Math.Log(pab), 4);
    }

    private void Apply(StoredDocument document, int sign)
    {
        foreach (var passage in document.Passages)
        {
            Passages += sign;
            var members = passage.Distinct(StringComparer.Ordinal).Select(Id).ToArray();
            foreach (var id in members)
            {
                frequency[id] += sign;
            }

            for (var i = 0; i < members.Length; i++)
            {
                for (var j = i + 1; j < members.Length; j++)
                {
                    AddEdge(members[i], members[j], sign);
                    AddEdge(members[j], members[i], sign);
                }
            }
        }
    }

    private void AddEdge(int a, int b, int sign)
    {
        var count = adjacency[a].GetValueOrDefault(b) + sign;
        if (count > 0)
        {
            adjacency[a][b] = count;
        }
        else
        {
            adjacency[a].Remove(b);
        }
    }

    private int Id(string keyword)
    {
        if (!ids.TryGetValue(keyword, out var id))
        {
            id = names.Count;
            ids.Add(keyword, id);
            names.Add(keyword);
            frequency.Add(0);
            adjacency.Add([]);
        }

        return id;
    }
}
