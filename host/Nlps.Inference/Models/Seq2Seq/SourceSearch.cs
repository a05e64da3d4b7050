using System.Numerics.Tensors;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// One source's generation: greedy with one beam, else beam search as transformers' BeamSearchScorer (v4.30). Each step
/// the model feeds <see cref="Fill"/>'s rows (this source's running beams) and hands their logits to
/// <see cref="Advance"/>, which picks the next tokens, reorders the beams' self-attention caches and retires finished
/// hypotheses. Forced tokens (<c>forced_bos_token_id</c> first, <c>forced_eos_token_id</c> at the length limit) apply
/// as transformers' logits processors do.
/// </summary>
internal sealed class SourceSearch : IDisposable
{
    private readonly BartConfig _config;
    private readonly int _maxLength;
    private readonly BeamHypotheses _finished;
    private readonly float[] _logProbs;
    private readonly (double Score, int Beam, int Token)[] _candidates;
    private List<int>[] _sequences;
    private double[] _scores;
    private BartSelfCache[] _caches;
    private BartSelfCache[] _spare;

    public SourceSearch(BartConfig config, Seq2SeqGenerationOptions options, BartCrossCache cross, int maxLength)
    {
        _config = config;
        _maxLength = maxLength;
        Cross = cross;
        int beams = options.NumBeams;
        _finished = new BeamHypotheses(beams, options.LengthPenalty, options.EarlyStopping);
        _logProbs = new float[config.VocabSize];
        _candidates = new (double, int, int)[2 * beams];
        _sequences = [.. Enumerable.Range(0, beams).Select(_ => new List<int> { config.DecoderStartTokenId })];
        _scores = [.. Enumerable.Range(0, beams).Select(b => b == 0 ? 0.0 : -1e9)];
        _caches = [.. Enumerable.Range(0, beams).Select(_ => new BartSelfCache(config.DecoderLayers, maxLength - 1, config.DModel))];
        _spare = beams > 1 ? [.. Enumerable.Range(0, beams).Select(_ => new BartSelfCache(config.DecoderLayers, maxLength - 1, config.DModel))] : [];
    }

    public BartCrossCache Cross { get; }

    public bool Done { get; private set; }

    /// <summary>Decoder rows this source needs in the next step (0 once done).</summary>
    public int Rows => Done ? 0 : _sequences.Length;

    /// <summary>Writes this source's rows, from <paramref name="at"/>: last token, self cache and cross cache.</summary>
    public void Fill(int[] tokens, BartSelfCache[] caches, BartCrossCache[] sources, int at)
    {
        for (int b = 0; b < Rows; b++)
        {
            tokens[at + b] = _sequences[b][^1];
            caches[at + b] = _caches[b];
            sources[at + b] = Cross;
        }
    }

    /// <summary>Takes the step's logits of this source's rows (Rows × vocab_size) and extends or finishes its beams.</summary>
    public void Advance(ReadOnlySpan<float> logits)
    {
        int vocab = _config.VocabSize;
        int length = _sequences[0].Count;
        int? forced = length == 1 && _config.ForcedBosTokenId is int bos ? bos
            : length == _maxLength - 1 && _config.ForcedEosTokenId is int eos ? eos
            : null;
        if (_sequences.Length == 1)
        {
            int token = forced ?? TensorPrimitives.IndexOfMax(logits[..vocab]);
            _sequences[0].Add(token);
            Done = token == _config.EosTokenId || _sequences[0].Count == _maxLength;
            return;
        }

        SelectCandidates(logits, forced);
        Extend(length);
        if (!Done && length + 1 == _maxLength)
        {
            for (int b = 0; b < _sequences.Length; b++)
            {
                _finished.Add([.. _sequences[b]], _scores[b]);
            }

            Done = true;
        }
    }

    public Seq2SeqResult Result()
    {
        if (_sequences.Length == 1)
        {
            List<int> tokens = _sequences[0];
            return new Seq2SeqResult([.. tokens.Skip(1)], tokens[^1] == _config.EosTokenId);
        }

        int[] best = _finished.Best();
        bool ended = best.Length < _maxLength;
        int[] output = ended ? [.. best.Skip(1), _config.EosTokenId] : [.. best.Skip(1)];
        return new Seq2SeqResult(output, ended);
    }

    public void Dispose()
    {
        foreach (BartSelfCache cache in _caches.Concat(_spare))
        {
            cache.Dispose();
        }

        Cross.Dispose();
    }

    // The 2·beams best (beam score + log-probability) over all beams and tokens, best first; ties keep the lower index.
    private void SelectCandidates(ReadOnlySpan<float> logits, int? forced)
    {
        int vocab = _config.VocabSize;
        int count = 0;
        for (int b = 0; b < _sequences.Length; b++)
        {
            LogSoftmax(logits.Slice(b * vocab, vocab), forced);
            for (int v = 0; v < vocab; v++)
            {
                double score = _scores[b] + _logProbs[v];
                if (count == _candidates.Length && !(score > _candidates[count - 1].Score))
                {
                    continue;
                }

                int at = Math.Min(count, _candidates.Length - 1);
                while (at > 0 && _candidates[at - 1].Score < score)
                {
                    _candidates[at] = _candidates[at - 1];
                    at--;
                }

                _candidates[at] = (score, b, v);
                count = Math.Min(count + 1, _candidates.Length);
            }
        }
    }

    // The next beams from the candidates (an eos among the top `beams` retires its beam as a hypothesis instead), with
    // their caches copied from their parents.
    private void Extend(int length)
    {
        int beams = _sequences.Length;
        var sequences = new List<int>[beams];
        var scores = new double[beams];
        int next = 0;
        for (int rank = 0; rank < _candidates.Length && next < beams; rank++)
        {
            var (score, parent, token) = _candidates[rank];
            if (token == _config.EosTokenId)
            {
                if (rank < beams)
                {
                    _finished.Add([.. _sequences[parent]], score);
                }

                continue;
            }

            sequences[next] = [.. _sequences[parent], token];
            scores[next] = score;
            _spare[next].CopyFrom(_caches[parent]);
            next++;
        }

        if (next < beams)
        {
            throw new InvalidOperationException($"beam search found only {next} continuations that are not eos for {beams} beams");
        }

        (_caches, _spare) = (_spare, _caches);
        _sequences = sequences;
        _scores = scores;
        Done = _finished.IsDone(_candidates[0].Score, length);
    }

    private void LogSoftmax(ReadOnlySpan<float> logits, int? forced)
    {
        Span<float> p = _logProbs;
        if (forced is int token)
        {
            p.Fill(float.NegativeInfinity);
            p[token] = 0f;
            return;
        }

        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, p);
        TensorPrimitives.Exp(p, p);
        float logSum = MathF.Log(TensorPrimitives.Sum(p));
        TensorPrimitives.Subtract(logits, max + logSum, p);
    }
}
