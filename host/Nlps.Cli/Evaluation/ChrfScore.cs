namespace Nlps.Cli.Evaluation;

/// <summary>
/// chrF and chrF++ as sacreBLEU 2 defines them: character n-grams up to <paramref name="charOrder"/> with whitespace
/// removed, plus word n-grams up to <paramref name="wordOrder"/> (2 for chrF++) with punctuation split off word ends;
/// per order the hypothesis, reference and matched counts, with the best-scoring reference per segment; the F-beta of
/// precision and recall averaged over the orders both sides have ("effective order"), or with <paramref name="epsilonSmoothing"/>
/// the mean of per-order F-scores with empty orders counted as ε.
/// </summary>
internal sealed class ChrfScore(int charOrder = 6, int wordOrder = 2, double beta = 2, bool epsilonSmoothing = false)
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private readonly long[] statistics = new long[3 * (charOrder + wordOrder)];

    public static double Sentence(string hypothesis, IReadOnlyList<string> references)
    {
        var score = new ChrfScore();
        score.Add(hypothesis, references);
        return score.Score();
    }

    public void Add(string hypothesis, IReadOnlyList<string> references)
    {
        var hyp = Grams(hypothesis);
        long[]? best = null;
        var bestScore = -1.0;
        foreach (var reference in references)
        {
            var refGrams = Grams(reference);
            var stats = new long[statistics.Length];
            for (var order = 0; order < hyp.Count; order++)
            {
                stats[3 * order] = hyp[order].Values.Sum();
                stats[(3 * order) + 1] = refGrams[order].Values.Sum();
                stats[(3 * order) + 2] = hyp[order].Sum(g => Math.Min(g.Value, refGrams[order].GetValueOrDefault(g.Key)));
            }

            var f = FScore(stats);
            if (f > bestScore)
            {
                (best, bestScore) = (stats, f);
            }
        }

        for (var i = 0; i < statistics.Length; i++)
        {
            statistics[i] += best![i];
        }
    }

    public double Score() => FScore(statistics);

    private double FScore(long[] stats)
    {
        const double Epsilon = 1e-16;
        var factor = beta * beta;
        var orders = charOrder + wordOrder;
        if (epsilonSmoothing)
        {
            var sum = 0.0;
            for (var i = 0; i < orders; i++)
            {
                var (hyp, reference, match) = (stats[3 * i], stats[(3 * i) + 1], stats[(3 * i) + 2]);
                var precision = hyp > 0 ? (double)match / hyp : Epsilon;
                var recall = reference > 0 ? (double)match / reference : Epsilon;
                var denominator = (factor * precision) + recall;
                sum += denominator > 0 ? (1 + factor) * precision * recall / denominator : Epsilon;
            }

            return 100 * sum / orders;
        }

        double averagePrecision = 0, averageRecall = 0;
        var effective = 0;
        for (var i = 0; i < orders; i++)
        {
            var (hyp, reference, match) = (stats[3 * i], stats[(3 * i) + 1], stats[(3 * i) + 2]);
            if (hyp > 0 && reference > 0)
            {
                averagePrecision += (double)match / hyp;
                averageRecall += (double)match / reference;
                effective++;
            }
        }

        if (effective == 0 || averagePrecision + averageRecall == 0)
        {
            return 0;
        }

        averagePrecision /= effective;
        averageRecall /= effective;
        return 100 * (1 + factor) * averagePrecision * averageRecall / ((factor * averagePrecision) + averageRecall);
    }

    private List<Dictionary<string, int>> Grams(string sentence)
    {
        var grams = new List<Dictionary<string, int>>();
        var characters = string.Concat(sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        for (var n = 1; n <= charOrder; n++)
        {
            grams.Add(Count(Enumerable.Range(0, Math.Max(0, characters.Length - n + 1)).Select(i => characters.Substring(i, n))));
        }

        var words = Words(sentence);
        for (var n = 1; n <= wordOrder; n++)
        {
            grams.Add(Count(Enumerable.Range(0, Math.Max(0, words.Count - n + 1)).Select(i => string.Join(' ', words.Skip(i).Take(n)))));
        }

        return grams;
    }

    // Punctuation split off the end (or else the start) of each word, as sacreBLEU does for chrF++.
    private static List<string> Words(string sentence)
    {
        var words = new List<string>();
        foreach (var word in sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length > 1 && Punctuation.Contains(word[^1], StringComparison.Ordinal))
            {
                words.Add(word[..^1]);
                words.Add(word[^1..]);
            }
            else if (word.Length > 1 && Punctuation.Contains(word[0], StringComparison.Ordinal))
            {
                words.Add(word[..1]);
                words.Add(word[1..]);
            }
            else
            {
                words.Add(word);
            }
        }

        return words;
    }

    private static Dictionary<string, int> Count(IEnumerable<string> grams)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var gram in grams)
        {
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
