using System.Numerics.Tensors;

namespace Nlps.Inference.Sampling;

/// <summary>
/// Chooses next tokens for one sequence. Holds its random generator and scratch (vocabulary-sized, allocated once),
/// so a draw allocates nothing. Not thread-safe: one sampler per sequence.
/// </summary>
public sealed class Sampler
{
    // Nucleus sampling first looks among this many best tokens; only a flat distribution needs a full sort.
    private const int NucleusWindow = 256;

    private readonly SamplingOptions _options;
    private readonly Random _random;
    private readonly int[] _ids;
    private readonly float[] _values;
    private readonly int[] _penalisedAt;
    private readonly long[] _order;
    private readonly int[] _sortedIds;
    private readonly float[] _sortedValues;
    private int _stamp;

    public Sampler(int vocabSize, SamplingOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _random = options.Seed is int seed ? new Random(seed) : new Random();
        _ids = new int[vocabSize];
        _values = new float[vocabSize];
        _penalisedAt = new int[vocabSize];
        _order = new long[vocabSize];
        _sortedIds = new int[vocabSize];
        _sortedValues = new float[vocabSize];
    }

    /// <summary>
    /// Picks the next token from <paramref name="logits"/> (modified in place), penalising the tokens in
    /// <paramref name="history"/> (prompt and output so far) when a repetition penalty is set.
    /// </summary>
    public int Sample(Span<float> logits, ReadOnlySpan<int> history)
    {
        if (logits.Length != _ids.Length)
        {
            throw new ArgumentException($"expected {_ids.Length} logits, got {logits.Length}", nameof(logits));
        }

        if (_options.RepetitionPenalty != 1f)
        {
            Penalise(logits, history);
        }

        if (_options.Temperature == 0f)
        {
            return TensorPrimitives.IndexOfMax(logits);
        }

        TensorPrimitives.Multiply(logits, 1f / _options.Temperature, logits);
        int count = Candidates(logits, out bool sorted);
        Span<int> ids = _ids.AsSpan(0, count);
        Span<float> probabilities = _values.AsSpan(0, count);

        if (_options.TopP < 1f)
        {
            if (!sorted)
            {
                SortDescending(probabilities, ids);
            }

            count = NucleusSize(probabilities, _options.TopP);
            ids = ids[..count];
            probabilities = probabilities[..count];
            sorted = true;
        }

        if (_options.MinP > 0f)
        {
            float threshold = _options.MinP * (sorted ? probabilities[0] : TensorPrimitives.Max(probabilities));
            int kept = 0;
            for (int i = 0; i < count; i++)
            {
                if (probabilities[i] >= threshold)
                {
                    ids[kept] = ids[i];
                    probabilities[kept++] = probabilities[i];
                }
            }

            ids = ids[..kept];
            probabilities = probabilities[..kept];
        }

        return Draw(ids, probabilities);
    }

    /// <summary>Fills _ids/_values with candidate tokens and their probabilities (normalised over the candidates).</summary>
    private int Candidates(ReadOnlySpan<float> logits, out bool sorted)
    {
        int vocab = logits.Length;
        int topK = _options.TopK;
        if (topK > 0 && topK < vocab)
        {
            TopK(logits, topK, _ids, _values);
            ToProbabilities(_values.AsSpan(0, topK));
            sorted = true;
            return topK;
        }

        for (int i = 0; i < vocab; i++)
        {
            _ids[i] = i;
        }

        logits.CopyTo(_values);
        ToProbabilities(_values);
        sorted = false;
        if (_options.TopP < 1f && vocab > NucleusWindow)
        {
            // The nucleus usually lies within the best few hundred tokens: select those, and keep the full sort for
            // the rare flat distribution where they do not reach top_p.
            Span<int> windowIds = stackalloc int[NucleusWindow];
            Span<float> windowProbabilities = stackalloc float[NucleusWindow];
            TopK(_values, NucleusWindow, windowIds, windowProbabilities);
            if (TensorPrimitives.Sum(windowProbabilities) >= _options.TopP)
            {
                windowIds.CopyTo(_ids);
                windowProbabilities.CopyTo(_values);
                sorted = true;
                return NucleusWindow;
            }
        }

        return vocab;
    }

    private void Penalise(Span<float> logits, ReadOnlySpan<int> history)
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_penalisedAt);
            _stamp = 1;
        }

        float penalty = _options.RepetitionPenalty;
        foreach (int id in history)
        {
            if ((uint)id < (uint)logits.Length && _penalisedAt[id] != _stamp)
            {
                _penalisedAt[id] = _stamp;
                logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
            }
        }
    }

    private int Draw(ReadOnlySpan<int> ids, ReadOnlySpan<float> probabilities)
    {
        double total = 0;
        foreach (float p in probabilities)
        {
            total += p;
        }

        double target = _random.NextDouble() * total;
        double running = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            running += probabilities[i];
            if (target < running)
            {
                return ids[i];
            }
        }

        return ids[^1];
    }

    private static void ToProbabilities(Span<float> values)
    {
        float max = TensorPrimitives.Max(values);
        TensorPrimitives.Subtract(values, max, values);
        TensorPrimitives.Exp(values, values);
        TensorPrimitives.Divide(values, TensorPrimitives.Sum(values), values);
    }

    /// <summary>Smallest prefix of descending probabilities whose sum reaches <paramref name="topP"/> (at least one token).</summary>
    private static int NucleusSize(ReadOnlySpan<float> descending, float topP)
    {
        float total = TensorPrimitives.Sum(descending);
        double running = 0;
        for (int i = 0; i < descending.Length; i++)
        {
            running += descending[i];
            if (running >= topP * total)
            {
                return i + 1;
            }
        }

        return descending.Length;
    }

    /// <summary>The k largest values with their indices, largest first, via a k-element min-heap (ties: the lower index is kept).</summary>
    private void TopK(ReadOnlySpan<float> values, int k, Span<int> ids, Span<float> best)
    {
        for (int i = 0; i < k; i++)
        {
            ids[i] = i;
            best[i] = values[i];
        }

        for (int i = (k / 2) - 1; i >= 0; i--)
        {
            SiftDown(ids, best, i, k);
        }

        for (int i = k; i < values.Length; i++)
        {
            if (values[i] > best[0])
            {
                ids[0] = i;
                best[0] = values[i];
                SiftDown(ids, best, 0, k);
            }
        }

        SortDescending(best[..k], ids[..k]);
    }

    // Heap order: the root is the worst kept token (smallest value; on ties the higher index, which loses).
    private static bool Worse(float a, int ia, float b, int ib) => a < b || (a == b && ia > ib);

    private static void SiftDown(Span<int> ids, Span<float> values, int i, int count)
    {
        while (true)
        {
            int left = (2 * i) + 1;
            if (left >= count)
            {
                return;
            }

            int child = left + 1 < count && Worse(values[left + 1], ids[left + 1], values[left], ids[left]) ? left + 1 : left;
            if (!Worse(values[child], ids[child], values[i], ids[i]))
            {
                return;
            }

            (values[i], values[child]) = (values[child], values[i]);
            (ids[i], ids[child]) = (ids[child], ids[i]);
            i = child;
        }
    }

    /// <summary>Sorts by value descending; equal values keep their current order, so the result never depends on the sort algorithm.</summary>
    private void SortDescending(Span<float> values, Span<int> ids)
    {
        Span<long> order = _order.AsSpan(0, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            order[i] = ((long)OrderedBits(values[i]) << 32) | (uint)i;
        }

        order.Sort();
        Span<int> sortedIds = _sortedIds.AsSpan(0, values.Length);
        Span<float> sortedValues = _sortedValues.AsSpan(0, values.Length);
        for (int i = 0; i < order.Length; i++)
        {
            int from = (int)(uint)order[i];
            sortedIds[i] = ids[from];
            sortedValues[i] = values[from];
        }

        sortedIds.CopyTo(ids);
        sortedValues.CopyTo(values);
    }

    /// <summary>A signed integer that orders like −value for non-NaN floats (so ascending sort = descending value).</summary>
    private static int OrderedBits(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        int ascending = bits >= 0 ? bits : bits ^ int.MaxValue;
        return -ascending - 1;
    }
}
