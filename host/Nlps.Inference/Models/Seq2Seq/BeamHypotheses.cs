namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// The best finished hypotheses of one source's beam search, as transformers' BeamHypotheses (v4.30): at most
/// NumBeams, each scored as its summed log-probabilities ÷ length ^ lengthPenalty (length counts the decoder start
/// token, not the eos).
/// </summary>
internal sealed class BeamHypotheses(int numBeams, double lengthPenalty, bool earlyStopping)
{
    private readonly List<(double Score, int[] Tokens)> _beams = [];
    private double _worst = 1e9;

    public int Count => _beams.Count;

    public void Add(int[] tokens, double sumLogProbs)
    {
        double score = sumLogProbs / Math.Pow(tokens.Length, lengthPenalty);
        if (_beams.Count < numBeams || score > _worst)
        {
            _beams.Add((score, tokens));
            if (_beams.Count > numBeams)
            {
                int worst = 0;
                for (int i = 1; i < _beams.Count; i++)
                {
                    if (_beams[i].Score < _beams[worst].Score)
                    {
                        worst = i;
                    }
                }

                _beams.RemoveAt(worst);
                _worst = _beams.Min(b => b.Score);
            }
            else
            {
                _worst = Math.Min(score, _worst);
            }
        }
    }

    /// <summary>True when no running beam, whose best total is <paramref name="bestSumLogProbs"/> at <paramref name="length"/>, can still enter.</summary>
    public bool IsDone(double bestSumLogProbs, int length) =>
        _beams.Count >= numBeams && (earlyStopping || _worst >= bestSumLogProbs / Math.Pow(length, lengthPenalty));

    /// <summary>The highest-scoring hypothesis (the last added among equals, as transformers picks).</summary>
    public int[] Best()
    {
        int best = 0;
        for (int i = 1; i < _beams.Count; i++)
        {
            if (_beams[i].Score >= _beams[best].Score)
            {
                best = i;
            }
        }

        return _beams[best].Tokens;
    }
}
