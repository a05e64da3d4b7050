namespace Nlps.Cli.Evaluation;

/// <summary>
/// Recall@k and MRR over ranked passage ids. Recall@k of one query is the share of its gold passages in the top k
/// (1 or 0 when there is one gold passage); MRR is the mean of 1 / rank of the first gold passage, 0 when none is
/// ranked. Both are averaged over the queries.
/// </summary>
internal sealed class RetrievalScores
{
    public static readonly int[] Cutoffs = [1, 5, 10];

    private readonly double[] recallSums = new double[Cutoffs.Length];
    private double reciprocalRankSum;

    public int Queries { get; private set; }

    public double Recall(int cutoff) => Queries == 0 ? 0 : recallSums[Array.IndexOf(Cutoffs, cutoff)] / Queries;

    public double MeanReciprocalRank => Queries == 0 ? 0 : reciprocalRankSum / Queries;

    public void Add(IReadOnlyList<string> gold, IReadOnlyList<string> ranked)
    {
        var goldSet = gold.ToHashSet(StringComparer.Ordinal);
        for (var c = 0; c < Cutoffs.Length; c++)
        {
            recallSums[c] += (double)ranked.Take(Cutoffs[c]).Distinct(StringComparer.Ordinal).Count(goldSet.Contains) / goldSet.Count;
        }

        for (var i = 0; i < ranked.Count; i++)
        {
            if (goldSet.Contains(ranked[i]))
            {
                reciprocalRankSum += 1.0 / (i + 1);
                break;
            }
        }

        Queries++;
    }
}
