using Nlps.Agents.Text.Matching;

namespace Nlps.Agents.KeywordGraph.Extraction;

/// <summary>
/// Combines the methods: dictionary terms (found with the particle-tolerant term matcher; score 1 plus 0.1 per extra
/// occurrence, at most 2), statistical keywords (TextRank, 0..1), and model keywords (0.8) when given. A keyword found
/// by several methods keeps its best score plus 0.2 per extra method, so agreement ranks higher.
/// </summary>
internal sealed class KeywordExtractor(IReadOnlyList<string> dictionary)
{
    private readonly TermMatcher matcher = new(dictionary);

    public int DictionarySize => matcher.Count;

    public IReadOnlyList<KeywordCandidate> Extract(string text, int top, IReadOnlyList<string>? modelKeywords = null)
    {
        var found = new Dictionary<string, KeywordCandidate>(StringComparer.Ordinal);
        foreach (var group in matcher.FindAll(text).GroupBy(m => m.TermId))
        {
            Add(TextFolding.FoldTerm(dictionary[group.Key]), Math.Min(2.0, 1.0 + (0.1 * (group.Count() - 1))), "dictionary");
        }

        foreach (var (keyword, score) in StatisticalExtractor.Extract(text, Math.Max(top, 10) * 2))
        {
            Add(keyword, score, "statistical");
        }

        foreach (var keyword in modelKeywords ?? [])
        {
            Add(TextFolding.FoldTerm(keyword), 0.8, "llm");
        }

        return [.. found.Values
            .Select(c => c with { Score = Math.Round(c.Score + (0.2 * (c.Methods.Count - 1)), 4) })
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Keyword, StringComparer.Ordinal)
            .Take(top)];

        void Add(string keyword, double score, string method)
        {
            if (found.TryGetValue(keyword, out var known))
            {
                known.Methods.Add(method);
                found[keyword] = known with { Score = Math.Max(known.Score, score) };
            }
            else
            {
                found[keyword] = new KeywordCandidate(keyword, score, new SortedSet<string>(StringComparer.Ordinal) { method });
            }
        }
    }
}
