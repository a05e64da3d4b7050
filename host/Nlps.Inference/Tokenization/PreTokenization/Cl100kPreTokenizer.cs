using System.Globalization;

namespace Nlps.Inference.Tokenization.PreTokenization;

/// <summary>
/// Hand-written equivalent of the Llama 3 / Qwen2 <c>Split</c> regex (tiktoken cl100k), working on code points
/// like Hugging Face's Oniguruma does rather than on UTF-16 units like .NET <c>Regex</c>:
/// <code>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</code>
/// Qwen2 uses <c>\p{N}</c> instead of <c>\p{N}{1,3}</c>: that is <see cref="MaxDigits"/>. Every character is
/// matched by some alternative, so the matches alone cover the text. Linear time, no allocation.
/// </summary>
internal sealed class Cl100kPreTokenizer : PreTokenizer
{
    /// <summary>The exact Llama 3.x pattern from its tokenizer.json.</summary>
    public const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The exact Qwen2 / Qwen2.5 pattern from its tokenizer.json.</summary>
    public const string Qwen2Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private enum CharClass : byte
    {
        Other,
        Letter,
        Number,
        Space,
        Newline,
    }

    public Cl100kPreTokenizer(int maxDigits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDigits, 1);
        MaxDigits = maxDigits;
    }

    public int MaxDigits { get; }

    /// <summary>The splitter for a pattern string, or null when the pattern is not one this class implements.</summary>
    public static Cl100kPreTokenizer? TryCreate(string pattern) => pattern switch
    {
        Llama3Pattern => new Cl100kPreTokenizer(3),
        Qwen2Pattern => new Cl100kPreTokenizer(1),
        _ => null,
    };

    public override void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> pieces)
    {
        var i = 0;
        while (i < text.Length)
        {
            var end = MatchAt(text, i);
            pieces.Add((i, end - i));
            i = end;
        }
    }

    /// <summary>Returns the end of the match that starts at <paramref name="i"/>, trying the alternatives in order.</summary>
    private int MatchAt(ReadOnlySpan<char> text, int i)
    {
        var c = Classify(text, i, out var width);

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (text[i] == '\'' && ContractionLength(text, i + 1) is var contraction and > 0)
        {
            return i + 1 + contraction;
        }

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (c == CharClass.Letter)
        {
            return SkipWhile(text, i + width, CharClass.Letter);
        }

        if (c is CharClass.Other or CharClass.Space && i + width < text.Length
            && Classify(text, i + width, out var nextWidth) == CharClass.Letter)
        {
            return SkipWhile(text, i + width + nextWidth, CharClass.Letter);
        }

        // \p{N}{1,MaxDigits}
        if (c == CharClass.Number)
        {
            var end = i + width;
            for (var digits = 1; digits < MaxDigits && end < text.Length && Classify(text, end, out var w) == CharClass.Number; digits++)
            {
                end += w;
            }

            return end;
        }

        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        var otherStart = text[i] == ' ' && i + 1 < text.Length && Classify(text, i + 1, out _) == CharClass.Other ? i + 1 : i;
        if (Classify(text, otherStart, out _) == CharClass.Other)
        {
            var end = SkipWhile(text, otherStart, CharClass.Other);
            return SkipWhile(text, end, CharClass.Newline);
        }

        // Whitespace from here on. \s*[\r\n]+ : up to and including the run's last newline.
        var runEnd = i;
        var lastNewline = -1;
        while (runEnd < text.Length && Classify(text, runEnd, out _) is CharClass.Space or CharClass.Newline)
        {
            if (text[runEnd] is '\r' or '\n')
            {
                lastNewline = runEnd;
            }

            runEnd++;
        }

        if (lastNewline >= 0)
        {
            return lastNewline + 1;
        }

        // \s+(?!\S) : the run, less its last character when something non-space follows; else \s+.
        if (runEnd == text.Length || runEnd - i == 1)
        {
            return runEnd;
        }

        return runEnd - 1;
    }

    /// <summary>Length after the apostrophe of s|t|re|ve|m|ll|d, case-insensitively, or 0.</summary>
    private static int ContractionLength(ReadOnlySpan<char> text, int at)
    {
        if (at >= text.Length)
        {
            return 0;
        }

        var second = at + 1 < text.Length ? char.ToLowerInvariant(text[at + 1]) : '\0';
        return char.ToLowerInvariant(text[at]) switch
        {
            's' or 't' or 'm' or 'd' => 1,
            // U+017F LONG S case-folds to 's' under Unicode case folding, which Oniguruma's and Rust regex's (?i)
            // apply; .NET Regex and JavaScript do not, so neither the differential test nor the corpus uses it.
            '\u017F' => 1,
            'r' or 'v' when second == 'e' => 2,
            'l' when second == 'l' => 2,
            _ => 0,
        };
    }

    private static int SkipWhile(ReadOnlySpan<char> text, int i, CharClass wanted)
    {
        while (i < text.Length && Classify(text, i, out var width) == wanted)
        {
            i += width;
        }

        return i;
    }

    private static CharClass Classify(ReadOnlySpan<char> text, int i, out int width)
    {
        var c = text[i];
        width = 1;
        if (c < 0x80)
        {
            return AsciiClasses[c];
        }

        UnicodeCategory category;
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            width = 2;
            category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1]));
        }
        else
        {
            if (char.IsWhiteSpace(c))
            {
                return CharClass.Space;
            }

            category = CharUnicodeInfo.GetUnicodeCategory(c);
        }

        return category switch
        {
            <= UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Other,
        };
    }

    private static readonly CharClass[] AsciiClasses = BuildAsciiClasses();

    private static CharClass[] BuildAsciiClasses()
    {
        var classes = new CharClass[128];
        for (var c = 0; c < 128; c++)
        {
            classes[c] = c switch
            {
                '\r' or '\n' => CharClass.Newline,
                '\t' or '\v' or '\f' or ' ' => CharClass.Space,
                >= 'a' and <= 'z' or >= 'A' and <= 'Z' => CharClass.Letter,
                >= '0' and <= '9' => CharClass.Number,
                _ => CharClass.Other,
            };
        }

        return classes;
    }
}
