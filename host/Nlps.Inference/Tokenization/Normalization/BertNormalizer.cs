using System.Globalization;
using System.Text;

namespace Nlps.Inference.Tokenization.Normalization;

/// <summary>
/// <c>{"type": "BertNormalizer"}</c>: drops control characters, U+0000 and U+FFFD and turns whitespace into ' '
/// (<c>clean_text</c>); puts spaces around CJK ideographs (<c>handle_chinese_chars</c>; BMP blocks only, as the
/// reference does per UTF-16 unit); lowercases; strips accents (NFD, then drops non-spacing marks) when
/// <c>strip_accents</c> is true, or null with <c>lowercase</c>.
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool lowercase, bool? stripAccents) : TextNormalizer
{
    public override string Normalize(string text)
    {
        if (cleanText)
        {
            text = Clean(text);
        }

        if (handleChineseChars)
        {
            text = SpaceChinese(text);
        }

        if (lowercase)
        {
            text = text.ToLowerInvariant();
        }

        return stripAccents ?? lowercase ? StripAccents(text) : text;
    }

    private static string Clean(string text)
    {
        var output = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var control = rune.Value is not ('\t' or '\n' or '\r') && category is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
            if (rune.Value is 0 or 0xFFFD || control)
            {
                continue;
            }

            if (JsText.IsWhiteSpace(rune.Value))
            {
                output.Append(' ');
            }
            else
            {
                output.Append(rune.ToString());
            }
        }

        return output.ToString();
    }

    private static bool IsChinese(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    private static string SpaceChinese(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u3400', '\uFAFF'))
        {
            return text;
        }

        var output = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsChinese(c))
            {
                output.Append(' ').Append(c).Append(' ');
            }
            else
            {
                output.Append(c);
            }
        }

        return output.ToString();
    }

    private static string StripAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var output = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                output.Append(rune.ToString());
            }
        }

        return output.ToString();
    }
}
