namespace Nlps.Inference.Tokenization.Unigram;

/// <summary>
/// The Unigram model of <c>tokenizer.json</c> (SentencePiece: XLM-R, T5): the segmentation of a word into vocabulary
/// pieces with the highest total log-probability (Viterbi over code points). A code point no single piece covers
/// becomes the unknown piece, scored min(score) − 10 as in SentencePiece, and adjacent unknowns fuse into one. Ties
/// go to the segmentation whose last piece starts earliest, as in Hugging Face's lattice.
/// </summary>
internal sealed class UnigramModel : ITokenModel
{
    private const double UnknownPenalty = 10.0;

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _pieces;
    private readonly double[] _scores;
    private readonly int _unknownId;
    private readonly double _unknownScore;
    private readonly int _maxPieceLength;

    /// <param name="pieces">The vocabulary in id order, with log-probability scores.</param>
    /// <param name="unknownId">The id of the unknown piece.</param>
    public UnigramModel(IReadOnlyList<(string Piece, double Score)> pieces, int unknownId)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if ((uint)unknownId >= (uint)pieces.Count)
        {
            throw new InvalidDataException($"tokenizer.json: Unigram unk_id {unknownId} is outside the vocabulary (0..{pieces.Count - 1}).");
        }

        var lookup = new Dictionary<string, int>(pieces.Count, StringComparer.Ordinal);
        _scores = new double[pieces.Count];
        var minScore = double.MaxValue;
        for (var id = 0; id < pieces.Count; id++)
        {
            var (piece, score) = pieces[id];
            lookup[piece] = id;
            _scores[id] = score;
            minScore = Math.Min(minScore, score);
            _maxPieceLength = Math.Max(_maxPieceLength, piece.Length);
        }

        _pieces = lookup.GetAlternateLookup<ReadOnlySpan<char>>();
        _unknownId = unknownId;
        _unknownScore = minScore - UnknownPenalty;
        _scores[unknownId] = _unknownScore;
    }

    public void EncodeWord(ReadOnlySpan<char> word, List<int> output)
    {
        if (word.IsEmpty)
        {
            return;
        }

        // Lattice positions are code points; starts[p] is the UTF-16 offset of code point p.
        var n = word.Length;
        Span<int> starts = n + 1 <= 512 ? stackalloc int[n + 1] : new int[n + 1];
        var points = 0;
        for (var i = 0; i < n; i += char.IsHighSurrogate(word[i]) && i + 1 < n && char.IsLowSurrogate(word[i + 1]) ? 2 : 1)
        {
            starts[points++] = i;
        }

        starts[points] = n;
        var best = new double[points + 1];
        var reached = new bool[points + 1];
        var previous = new int[points + 1];
        var pieceId = new int[points + 1];
        reached[0] = true;
        for (var begin = 0; begin < points; begin++)
        {
            var coveredOne = false;
            for (var end = begin + 1; end <= points && starts[end] - starts[begin] <= _maxPieceLength; end++)
            {
                if (_pieces.TryGetValue(word[starts[begin]..starts[end]], out var id))
                {
                    Relax(begin, end, id, _scores[id]);
                    coveredOne |= end == begin + 1;
                }
            }

            if (!coveredOne)
            {
                Relax(begin, begin + 1, _unknownId, _unknownScore);
            }
        }

        var path = new List<int>();
        for (var p = points; p > 0; p = previous[p])
        {
            path.Add(pieceId[p]);
        }

        var previousUnknown = false;
        for (var i = path.Count - 1; i >= 0; i--)
        {
            var isUnknown = path[i] == _unknownId;
            if (!(isUnknown && previousUnknown))
            {
                output.Add(path[i]);
            }

            previousUnknown = isUnknown;
        }

        void Relax(int begin, int end, int id, double score)
        {
            var candidate = best[begin] + score;
            if (!reached[end] || candidate > best[end])
            {
                reached[end] = true;
                best[end] = candidate;
                previous[end] = begin;
                pieceId[end] = id;
            }
        }
    }
}
