namespace Nlps.Cli.Evaluation;

/// <summary>
/// BLEU as sacreBLEU 2 defines it: 13a tokens, n-grams up to 4 clipped by the most any reference has, the closest
/// reference length for the brevity penalty (the shorter on a tie), and "exp" smoothing of zero precisions. The
/// corpus score sums statistics over segments; a sentence score uses the effective order, as sacreBLEU's
/// <c>sentence_bleu</c> does.
/// </summary>
internal sealed class BleuScore
{
    private const int MaxOrder = 4;
    private readonly long[] correct = new long[MaxOrder];
    private readonly long[] total = new long[MaxOrder];
    private long hypothesisLength;
    private long referenceLength;

    public static double Sentence(string hypothesis, IReadOnlyList<string> references)
    {
        var score = new BleuScore();
        score.Add(hypothesis, references);
        return score.Score(effectiveOrder: true);
    }

    public static double Compute(IReadOnlyList<long> correct, IReadOnlyList<long> total, long hypothesisLength, long referenceLength, bool effectiveOrder)
    {
        var precisions = new double[MaxOrder];
        var smooth = 1.0;
        var order = MaxOrder;
        for (var n = 0; n < MaxOrder; n++)
        {
            if (total[n] == 0)
            {
                break;
            }

            if (effectiveOrder)
            {
                order = n + 1;
            }

            if (correct[n] == 0)
            {
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total[n]);
            }
            else
            {
                precisions[n] = 100.0 * correct[n] / total[n];
            }
        }

        var brevity = hypothesisLength >= referenceLength ? 1.0 : hypothesisLength > 0 ? Math.Exp(1 - ((double)referenceLength / hypothesisLength)) : 0.0;
        return brevity * Math.Exp(precisions.Take(order).Sum(p => p == 0 ? -9999999999.0 : Math.Log(p)) / order);
    }

    public IReadOnlyList<long> Correct => correct;

    public IReadOnlyList<long> Total => total;

    public void Add(string hypothesis, IReadOnlyList<string> references)
    {
        var hyp = Tokenizer13a.Tokenize(hypothesis);
        var refs = references.Select(Tokenizer13a.Tokenize).ToList();
        hypothesisLength += hyp.Length;
        referenceLength += refs.Select(r => r.Length).OrderBy(length => Math.Abs(length - hyp.Length)).ThenBy(length => length).First();
        for (var n = 1; n <= MaxOrder; n++)
        {
            var most = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var reference in refs)
            {
                foreach (var (gram, count) in NGrams(reference, n))
                {
                    most[gram] = Math.Max(most.GetValueOrDefault(gram), count);
                }
            }

            foreach (var (gram, count) in NGrams(hyp, n))
            {
                correct[n - 1] += Math.Min(count, most.GetValueOrDefault(gram));
            }

            total[n - 1] += Math.Max(0, hyp.Length - n + 1);
        }
    }

    public double Score(bool effectiveOrder = false) => Compute(correct, total, hypothesisLength, referenceLength, effectiveOrder);

    private static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            var gram = string.Join('\u0001', tokens, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
