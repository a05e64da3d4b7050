using Nlps.Agents.Text.Korean;

namespace Nlps.Agents.KeywordGraph.Extraction;

/// <summary>
/// Keywords without a dictionary or a model, TextRank-style: words are normalised (Korean particles and endings
/// stripped, verb and adjective forms dropped or reduced to their noun by <see cref="PredicateForms"/>, English
/// lower-cased), stop words and short or numeric words dropped, a co-occurrence graph over a
/// window of <see cref="Window"/> words inside each sentence is ranked by PageRank, and two-word phrases that occur
/// at least twice (금융 실명제) score the mean of their words. Deterministic: ties break by the keyword's ordinal order.
/// </summary>
internal static class StatisticalExtractor
{
    public const int Window = 3;
    private const double Damping = 0.85;
    private const int Iterations = 30;

    public static IReadOnlyList<(string Keyword, double Score)> Extract(string text, int top)
    {
        var sentences = Tokenize(text);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<string>();
        var links = new List<Dictionary<int, double>>();
        var phraseCounts = new Dictionary<(int, int), int>();
        foreach (var sentence in sentences)
        {
            for (var i = 0; i < sentence.Count; i++)
            {
                var (word, stripped) = sentence[i];
                if (word is null)
                {
                    continue;
                }

                var a = Id(word);
                for (var j = i + 1; j < Math.Min(sentence.Count, i + Window); j++)
                {
                    if (sentence[j].Word is { } other && other != word)
                    {
                        var b = Id(other);
                        links[a][b] = links[a].GetValueOrDefault(b) + 1;
                        links[b][a] = links[b].GetValueOrDefault(a) + 1;
                    }
                }

                // A phrase is two adjacent words where the first carried no particle (금융 실명제, not 금융을 실명제).
                if (!stripped && i + 1 < sentence.Count && sentence[i + 1].Word is { } next && next != word)
                {
                    var key = (a, Id(next));
                    phraseCounts[key] = phraseCounts.GetValueOrDefault(key) + 1;
                }
            }
        }

        var rank = PageRank(links);
        var scored = new List<(string Keyword, double Score)>();
        for (var i = 0; i < words.Count; i++)
        {
            scored.Add((words[i], rank[i]));
        }

        foreach (var ((a, b), count) in phraseCounts)
        {
            if (count >= 2)
            {
                scored.Add((words[a] + " " + words[b], (rank[a] + rank[b]) / 2 * 1.1));
            }
        }

        var max = scored.Count == 0 ? 1 : scored.Max(s => s.Score);
        return [.. scored
            .Select(s => (s.Keyword, Score: Math.Round(s.Score / max, 4)))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Keyword, StringComparer.Ordinal)
            .Take(top)];

        int Id(string word)
        {
            if (!ids.TryGetValue(word, out var id))
            {
                id = words.Count;
                ids.Add(word, id);
                words.Add(word);
                links.Add([]);
            }

            return id;
        }
    }

    /// <summary>The normal form of one word, or null when it cannot be a keyword; <c>stripped</c> says a particle or ending was removed.</summary>
    public static (string? Word, bool Stripped) Normalize(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || char.IsDigit(token[0]))
        {
            return (null, false);
        }

        if (Hangul.ContainsSyllable(token))
        {
            // A verb or adjective form is never a keyword; the noun a 하다/되다 verb is built on may be (제출해야 → 제출).
            var whole = token.ToString();
            var word = PredicateForms.IsPredicate(whole) ? PredicateForms.NounOf(whole) : KoreanSuffixes.Stem(token).ToString();
            if (word is not null && word.Length < whole.Length && PredicateForms.IsPredicate(word))
            {
                word = PredicateForms.NounOf(word);
            }

            return (word is { Length: >= 2 } && !StopWords.Contains(word) && !StopWords.Contains(whole) ? word : null, word is null || word.Length < whole.Length);
        }

        var lower = token.ToString().ToLowerInvariant();
        var isWord = lower.Length >= 3 && lower.Any(char.IsLetter) && !StopWords.Contains(lower);
        return (isWord ? lower : null, false);
    }

    // Sentences of normalised words; a null word keeps its place so the window does not join words across it.
    private static List<List<(string? Word, bool Stripped)>> Tokenize(string text)
    {
        var sentences = new List<List<(string?, bool)>>();
        var current = new List<(string?, bool)>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\n';
            if (Hangul.IsWordChar(c))
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0)
            {
                current.Add(Normalize(text.AsSpan(start, i - start)));
                start = -1;
            }

            if (c is '.' or '?' or '!' or '\n' or '。' or ';')
            {
                if (current.Count > 0)
                {
                    sentences.Add(current);
                }

                current = [];
            }
        }

        return sentences;
    }

    private static double[] PageRank(List<Dictionary<int, double>> links)
    {
        var n = links.Count;
        var rank = Enumerable.Repeat(1.0, n).ToArray();
        var totals = links.Select(l => l.Values.Sum()).ToArray();
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                var sum = 0.0;
                foreach (var (j, weight) in links[i])
                {
                    sum += weight / totals[j] * rank[j];
                }

                next[i] = (1 - Damping) + (Damping * sum);
            }

            rank = next;
        }

        return rank;
    }
}
