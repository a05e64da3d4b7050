using System.Text;

namespace Nlps.Agents.Text.Matching;

/// <summary>
/// How terms and texts are made comparable: Unicode NFC (decomposed Hangul jamo from some editors becomes syllables),
/// lower case, and every whitespace character as one plain space. Folding a text keeps its length, so positions in
/// the folded text are positions in the NFC text.
/// </summary>
public static class TextFolding
{
    /// <summary>A term as the matcher stores it: trimmed, NFC, lower case, inner whitespace runs as one space.</summary>
    /// <param name="term">The term as written.</param>
    public static string FoldTerm(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var normalized = Nfc(term.Trim());
        var builder = new StringBuilder(normalized.Length);
        var lastWasSpace = false;
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                }

                lastWasSpace = true;
                continue;
            }

            builder.Append(char.ToLowerInvariant(c));
            lastWasSpace = false;
        }

        return builder.ToString();
    }

    /// <summary>The text in NFC; the same instance when it already is.</summary>
    /// <param name="text">The text.</param>
    public static string Nfc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
    }

    /// <summary>Folds an NFC text character by character into <paramref name="destination"/> (same length).</summary>
    /// <param name="text">NFC text.</param>
    /// <param name="destination">At least as long as <paramref name="text"/>.</param>
    public static void FoldText(ReadOnlySpan<char> text, Span<char> destination)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            destination[i] = char.IsWhiteSpace(c) ? ' ' : char.ToLowerInvariant(c);
        }
    }
}
