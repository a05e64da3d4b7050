using System.Text.RegularExpressions;

namespace Nlps.Inference.Tokenization.PreTokenization;

/// <summary>
/// A <c>Split</c> pre-tokenizer with behavior <c>Isolated</c> run by .NET <see cref="Regex"/>: matches and the
/// gaps between them both become pieces. Used for patterns without a hand-written splitter. .NET matches per
/// UTF-16 unit, so letters outside the BMP do not match <c>\p{L}</c> here (Oniguruma works on code points).
/// </summary>
internal sealed class RegexSplitPreTokenizer : PreTokenizer
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);
    private readonly Regex _regex;

    public RegexSplitPreTokenizer(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            _regex = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new NotSupportedException($"tokenizer.json: the Split regex '{pattern}' is not valid in .NET: {e.Message}", e);
        }
    }

    public override void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> pieces)
    {
        var position = 0;
        foreach (var match in _regex.EnumerateMatches(text))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > position)
            {
                pieces.Add((position, match.Index - position));
            }

            pieces.Add((match.Index, match.Length));
            position = match.Index + match.Length;
        }

        if (position < text.Length)
        {
            pieces.Add((position, text.Length - position));
        }
    }
}
