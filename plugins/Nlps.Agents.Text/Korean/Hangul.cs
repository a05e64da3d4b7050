namespace Nlps.Agents.Text.Korean;

/// <summary>Character classes the matchers need: Hangul syllables and word characters.</summary>
public static class Hangul
{
    /// <summary>True for a precomposed Hangul syllable (U+AC00..U+D7A3).</summary>
    /// <param name="c">The character.</param>
    public static bool IsSyllable(char c) => c is >= '\uAC00' and <= '\uD7A3';

    /// <summary>True for a character that continues a word: a letter or a digit in any script.</summary>
    /// <param name="c">The character.</param>
    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c);

    /// <summary>True when <paramref name="text"/> contains at least one Hangul syllable.</summary>
    /// <param name="text">The text.</param>
    public static bool ContainsSyllable(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (IsSyllable(c))
            {
                return true;
            }
        }

        return false;
    }
}
