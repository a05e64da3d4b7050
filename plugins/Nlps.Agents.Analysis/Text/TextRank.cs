namespace Nlps.Agents.Analysis.Text;

/// <summary>PageRank over a weighted undirected graph (Mihalcea and Tarau 2004): damping 0.85, fixed 50 iterations, deterministic.</summary>
internal static class TextRank
{
    public static double[] Rank(double[,] weights)
    {
        var n = weights.GetLength(0);
        var scores = Enumerable.Repeat(1.0, n).ToArray();
        var outWeight = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                outWeight[i] += weights[i, j];
            }
        }

        for (var iteration = 0; iteration < 50; iteration++)
        {
            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                var sum = 0.0;
                for (var j = 0; j < n; j++)
                {
                    if (weights[j, i] > 0 && outWeight[j] > 0)
                    {
                        sum += weights[j, i] / outWeight[j] * scores[j];
                    }
                }

                next[i] = 0.15 + (0.85 * sum);
            }

            scores = next;
        }

        return scores;
    }
}
