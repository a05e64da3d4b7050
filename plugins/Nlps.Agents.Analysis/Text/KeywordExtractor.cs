using Nlps.Agents.Analysis.Contracts;

namespace Nlps.Agents.Analysis.Text;

/// <summary>TextRank keywords: content words are nodes, co-occurrence within a window of 3 words adds weight; top 10.</summary>
internal static class KeywordExtractor
{
    public static KeywordOutput Extract(string text, int count = 10)
    {
        var words = TextUnits.ContentWords(text).ToList();
        var vocabulary = words.Distinct(StringComparer.Ordinal).ToList();
        if (vocabulary.Count == 0)
        {
            return new KeywordOutput([]);
        }

        var index = vocabulary.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i, StringComparer.Ordinal);
        var weights = new double[vocabulary.Count, vocabulary.Count];
        for (var i = 0; i < words.Count; i++)
        {
            for (var j = i + 1; j < Math.Min(words.Count, i + 3); j++)
            {
                var a = index[words[i]];
                var b = index[words[j]];
                if (a != b)
                {
                    weights[a, b] += 1;
                    weights[b, a] += 1;
                }
            }
        }

        var scores = TextRank.Rank(weights);
        var frequency = words.GroupBy(w => w, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new KeywordOutput(Enumerable.Range(0, vocabulary.Count)
            .OrderByDescending(i => scores[i] * Math.Log(1 + frequency[vocabulary[i]]))
            .ThenBy(i => i)
            .Take(count)
            .Select(i => vocabulary[i])
            .ToList());
    }
}
