using Nlps.Agents.Analysis.Contracts;

namespace Nlps.Agents.Analysis.Text;

/// <summary>
/// TextRank sentence extraction: sentences are nodes, edges weigh shared content words normalised by sentence
/// lengths (log), and the top sentences are returned in their original order.
/// </summary>
internal static class ExtractiveSummarizer
{
    public static SummaryOutput Summarize(string text, int sentenceCount = 3)
    {
        var sentences = TextUnits.Sentences(text);
        if (sentences.Count <= sentenceCount)
        {
            return new SummaryOutput(string.Join(' ', sentences), sentences);
        }

        var words = sentences.Select(s => TextUnits.ContentWords(s).ToHashSet(StringComparer.Ordinal)).ToList();
        var weights = new double[sentences.Count, sentences.Count];
        for (var i = 0; i < sentences.Count; i++)
        {
            for (var j = i + 1; j < sentences.Count; j++)
            {
                var shared = words[i].Intersect(words[j]).Count();
                if (shared > 0 && words[i].Count > 1 && words[j].Count > 1)
                {
                    weights[i, j] = weights[j, i] = shared / (Math.Log(words[i].Count) + Math.Log(words[j].Count));
                }
            }
        }

        var scores = TextRank.Rank(weights);
        var chosen = Enumerable.Range(0, sentences.Count)
            .OrderByDescending(i => scores[i]).ThenBy(i => i)
            .Take(sentenceCount).Order()
            .Select(i => sentences[i]).ToList();
        return new SummaryOutput(string.Join(' ', chosen), chosen);
    }
}
