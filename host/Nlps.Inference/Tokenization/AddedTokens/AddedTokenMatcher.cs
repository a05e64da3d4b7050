using System.Buffers;

namespace Nlps.Inference.Tokenization.AddedTokens;

/// <summary>
/// Finds added tokens in text the way Hugging Face's <c>AddedVocabulary</c> does: leftmost-longest matches,
/// <c>single_word</c> tokens only between non-word characters, <c>lstrip</c>/<c>rstrip</c> swallowing adjacent
/// whitespace. Scans with a vectorised search for the tokens' first characters, then walks a character trie.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Node _root = new();
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var first = new HashSet<char>();
        foreach (var token in tokens)
        {
            if (token.Content.Length == 0)
            {
                continue;
            }

            first.Add(token.Content[0]);
            var node = _root;
            foreach (var c in token.Content)
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(c, out var child))
                {
                    child = new Node();
                    node.Children.Add(c, child);
                }

                node = child;
            }

            node.Token ??= token;
        }

        _firstChars = SearchValues.Create([.. first]);
        IsEmpty = first.Count == 0;
    }

    public bool IsEmpty { get; }

    /// <summary>
    /// Appends the sections of <paramref name="text"/> (offsets relative to it) to <paramref name="sections"/>:
    /// plain runs and added tokens, in order. Whitespace swallowed by lstrip/rstrip belongs to no section.
    /// </summary>
    public void Split(ReadOnlySpan<char> text, List<TextSection> sections)
    {
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var found = text[i..].IndexOfAny(_firstChars);
            if (found < 0)
            {
                break;
            }

            i += found;
            var token = LongestAt(text, i);
            if (token is null)
            {
                i++;
                continue;
            }

            var start = i;
            var stop = i + token.Content.Length;
            i = stop;
            if (token.SingleWord && !(IsWordBoundary(text, start - 1) && IsWordBoundary(text, stop)))
            {
                continue;
            }

            if (token.LeftStrip)
            {
                while (start > plainStart && char.IsWhiteSpace(text[start - 1]))
                {
                    start--;
                }
            }

            if (token.RightStrip)
            {
                while (stop < text.Length && char.IsWhiteSpace(text[stop]))
                {
                    stop++;
                }
            }

            if (start > plainStart)
            {
                sections.Add(TextSection.Plain(plainStart, start - plainStart));
            }

            sections.Add(new TextSection(start, stop - start, token.Id));
            plainStart = stop;
            i = stop;
        }

        if (plainStart < text.Length)
        {
            sections.Add(TextSection.Plain(plainStart, text.Length - plainStart));
        }
    }

    private AddedToken? LongestAt(ReadOnlySpan<char> text, int start)
    {
        AddedToken? longest = null;
        var node = _root;
        for (var j = start; j < text.Length && node.Children is not null && node.Children.TryGetValue(text[j], out var next); j++)
        {
            node = next;
            longest = node.Token ?? longest;
        }

        return longest;
    }

    private static bool IsWordBoundary(ReadOnlySpan<char> text, int index) =>
        index < 0 || index >= text.Length || !(char.IsLetterOrDigit(text[index]) || text[index] == '_');

    private sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public AddedToken? Token;
    }
}
