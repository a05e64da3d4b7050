namespace Nlps.Inference.Tokenization.WordPiece;

/// <summary>
/// The WordPiece model of <c>tokenizer.json</c> (BERT): greedy longest match from the start of the word, pieces after
/// the first carry the continuing prefix (<c>##</c>); a word with an unmatchable rest, or longer than
/// <c>max_input_chars_per_word</c> code points, becomes one unknown token.
/// </summary>
internal sealed class WordPieceModel : ITokenModel
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocab;
    private readonly string _prefix;
    private readonly int _unknownId;
    private readonly int _maxCharsPerWord;

    public WordPieceModel(Dictionary<string, int> vocab, string unknownToken, string continuingPrefix, int maxCharsPerWord)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        _vocab = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefix = continuingPrefix;
        _maxCharsPerWord = maxCharsPerWord;
        _unknownId = vocab.TryGetValue(unknownToken, out var unk)
            ? unk
            : throw new InvalidDataException($"tokenizer.json: WordPiece unk_token '{unknownToken}' is not in the vocabulary.");
    }

    public void EncodeWord(ReadOnlySpan<char> word, List<int> output)
    {
        if (word.IsEmpty)
        {
            return;
        }

        if (CodePoints(word) > _maxCharsPerWord)
        {
            output.Add(_unknownId);
            return;
        }

        var first = output.Count;
        Span<char> candidate = word.Length + _prefix.Length <= 256 ? stackalloc char[word.Length + _prefix.Length] : new char[word.Length + _prefix.Length];
        _prefix.AsSpan().CopyTo(candidate);
        var start = 0;
        while (start < word.Length)
        {
            var end = word.Length;
            var found = -1;
            while (end > start)
            {
                var piece = word[start..end];
                int id;
                if (start == 0 ? _vocab.TryGetValue(piece, out id) : TryPrefixed(piece, candidate, out id))
                {
                    found = id;
                    break;
                }

                end -= end - 1 > start && char.IsLowSurrogate(word[end - 1]) && char.IsHighSurrogate(word[end - 2]) ? 2 : 1;
            }

            if (found < 0)
            {
                output.RemoveRange(first, output.Count - first);
                output.Add(_unknownId);
                return;
            }

            output.Add(found);
            start = end;
        }
    }

    private bool TryPrefixed(ReadOnlySpan<char> piece, Span<char> buffer, out int id)
    {
        piece.CopyTo(buffer[_prefix.Length..]);
        return _vocab.TryGetValue(buffer[..(_prefix.Length + piece.Length)], out id);
    }

    private static int CodePoints(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
