using System.Globalization;
using System.Text;

namespace Nlps.Inference.Tokenization;

/// <summary>
/// Character classes as the reference tokenizers (ECMAScript regex <c>\s</c>, <c>\p{P}</c>) define them. .NET's
/// <see cref="char.IsWhiteSpace(char)"/> differs (it counts U+0085 and U+001C–U+001F as spaces), which would move
/// word boundaries.
/// </summary>
internal static class JsText
{
    /// <summary>ECMAScript <c>\s</c>: WhiteSpace and LineTerminator code points.</summary>
    public static bool IsWhiteSpace(int c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    /// <summary>BERT's punctuation: Unicode <c>\p{P}</c> plus the ASCII symbol ranges (<c>$</c>, <c>+</c>, <c>&lt;</c>, <c>^</c>, <c>`</c>, <c>|</c>, <c>~</c>…).</summary>
    public static bool IsBertPunctuation(Rune rune)
    {
        var c = rune.Value;
        if (c is (>= 0x21 and <= 0x2F) or (>= 0x3A and <= 0x40) or (>= 0x5B and <= 0x60) or (>= 0x7B and <= 0x7E))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }
}
