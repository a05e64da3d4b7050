using System.Globalization;
using System.Text;
using Nlps.Sdk.Storage;

namespace Nlps.Storage.Documents;

/// <summary>
/// Turns text into the space-separated terms an FTS5 index stores, and a plain-text query into an FTS5 MATCH
/// expression, for each <see cref="TextIndexing"/>. Documents and queries go through the same analysis, so a particle
/// on either side does not defeat a match.
/// </summary>
public static class TextAnalyzer
{
    // Longest first, so 에서는 is tried before 에서 and 는. Single-syllable particles are stripped only from words of
    // three or more syllables' worth (stem of two or more), so 회의 (meeting) keeps its 의 and 나이 keeps its 이.
    private static readonly string[] Particles =
    [
        "으로부터", "에서부터", "이라는", "이라고", "이었다", "입니다", "으로써", "으로서", "에서는", "에서도", "에게서", "으로는",
        "에서", "에게", "으로", "로서", "로써", "까지", "부터", "보다", "처럼", "만큼", "이나", "이며", "이고", "이다", "와는",
        "과는", "에는", "에도", "한테", "라는", "이란", "였다", "이라", "로는", "와의", "과의", "에의",
        "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "만", "로", "란",
    ];

    /// <summary>The terms to index for <paramref name="text"/> (for <see cref="TextIndexing.CharacterTrigrams"/> the text itself).</summary>
    /// <param name="text">The chunk's text.</param>
    /// <param name="indexing">The collection's analysis.</param>
    public static string IndexTerms(string text, TextIndexing indexing)
    {
        ArgumentNullException.ThrowIfNull(text);
        return indexing == TextIndexing.CharacterTrigrams ? text : string.Join(' ', Terms(text, indexing));
    }

    /// <summary>
    /// An FTS5 MATCH expression that matches chunks sharing any term with <paramref name="query"/>, or null when the
    /// query has no searchable term. Every term is quoted, so query text never acts as FTS5 syntax.
    /// </summary>
    /// <param name="query">The user's query.</param>
    /// <param name="indexing">The collection's analysis.</param>
    public static string? MatchExpression(string query, TextIndexing indexing)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = indexing == TextIndexing.CharacterTrigrams ? Trigrams(query) : Terms(query, indexing);
        var distinct = terms.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 0 ? null : string.Join(" OR ", distinct.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }

    /// <summary>The analysed terms of <paramref name="text"/> in order (bigram or particle-stripping analysis).</summary>
    /// <param name="text">Any text.</param>
    /// <param name="indexing">Either <see cref="TextIndexing.CharacterBigrams"/> or <see cref="TextIndexing.KoreanParticleStripping"/>.</param>
    public static IEnumerable<string> Terms(string text, TextIndexing indexing)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (word, isCjk) in Words(text))
        {
            if (!isCjk)
            {
                yield return word.ToLowerInvariant();
            }
            else if (indexing == TextIndexing.KoreanParticleStripping)
            {
                yield return StripParticle(word);
            }
            else if (word.Length == 1)
            {
                yield return word;
            }
            else
            {
                for (var i = 0; i + 1 < word.Length; i++)
                {
                    yield return word.Substring(i, 2);
                }
            }
        }
    }

    /// <summary>Removes one trailing particle or copula ending from a Korean word (금리가 → 금리, 회의 → 회의).</summary>
    /// <param name="word">A run of Hangul.</param>
    public static string StripParticle(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        foreach (var particle in Particles)
        {
            var minimumStem = particle.Length == 1 ? 2 : 1;
            if (word.Length >= particle.Length + minimumStem && word.EndsWith(particle, StringComparison.Ordinal))
            {
                return word[..^particle.Length];
            }
        }

        return word;
    }

    // Runs of letters/digits, split where the script changes between CJK (Hangul, Han, kana) and everything else.
    private static IEnumerable<(string Word, bool IsCjk)> Words(string text)
    {
        var builder = new StringBuilder();
        var runIsCjk = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var isWordChar = category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            if (!isWordChar)
            {
                if (builder.Length > 0)
                {
                    yield return (builder.ToString(), runIsCjk);
                    builder.Clear();
                }

                continue;
            }

            var isCjk = IsCjk(rune.Value);
            if (builder.Length > 0 && isCjk != runIsCjk)
            {
                yield return (builder.ToString(), runIsCjk);
                builder.Clear();
            }

            runIsCjk = isCjk;
            builder.Append(rune.ToString());
        }

        if (builder.Length > 0)
        {
            yield return (builder.ToString(), runIsCjk);
        }
    }

    private static IEnumerable<string> Trigrams(string text)
    {
        foreach (var (word, _) in Words(text))
        {
            var lower = word.ToLowerInvariant();
            for (var i = 0; i + 3 <= lower.Length; i++)
            {
                yield return lower.Substring(i, 3);
            }
        }
    }

    private static bool IsCjk(int codePoint) =>
        codePoint is (>= 0xAC00 and <= 0xD7A3) // Hangul syllables
            or (>= 0x1100 and <= 0x11FF) or (>= 0x3130 and <= 0x318F) // jamo
            or (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) // Han
            or (>= 0x3040 and <= 0x30FF); // kana
}
