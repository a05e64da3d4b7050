using System.Collections.Frozen;

namespace Nlps.Agents.Text.Korean;

/// <summary>
/// Particles (조사), the copula and common 하다/되다 endings that attach to a noun inside one eojeol (어절), e.g.
/// 금융실명제<b>는</b>, 금융실명제<b>를</b>, 외국환거래법<b>에서의</b>, 구조조정<b>했다</b>. A tail is accepted when it splits into a chain
/// of these pieces, so 에서+는 and 으로+의 need no entries of their own.
/// </summary>
public static class KoreanSuffixes
{
    /// <summary>The longest tail (in characters) that is checked; longer tails are not particles, so matching stays linear.</summary>
    public const int MaxTailLength = 10;

    // Everything that may follow a term for the purpose of *matching* a known term. Ambiguous one-syllable pieces are
    // fine here because the term itself is known.
    private static readonly FrozenSet<string> Matching = new[]
    {
        "이", "가", "은", "는", "을", "를", "의", "에", "에서", "에게", "에게서", "께", "께서", "한테", "로", "으로",
        "와", "과", "도", "만", "까지", "부터", "보다", "처럼", "같이", "마다", "조차", "마저", "밖에", "이나", "나",
        "라도", "이라도", "든지", "이든지", "란", "이란", "라는", "이라는", "라고", "이라고", "로서", "으로서", "로써",
        "으로써", "랑", "이랑", "뿐", "대로", "씩", "들", "등", "상", "적", "간", "내", "외", "별", "측", "서",
        "이다", "다", "입니다", "이며", "며", "이고", "고", "인", "일", "임", "였다", "이었다", "였으며", "이었으며", "이므로",
        "하다", "한다", "하는", "하고", "하여", "해", "해서", "했다", "했으며", "한", "할", "함", "하며", "하기", "하지",
        "되다", "된다", "되는", "되어", "돼", "됐다", "된", "될", "됨", "되며", "되고", "되었다", "시키다", "시키는", "시킨",
    }.ToFrozenSet(StringComparer.Ordinal);

    // The conservative subset used to *strip* endings from unknown words (keyword extraction): one-syllable pieces that
    // often end nouns themselves (보고서, 재고, 국가, 경제적) are left out, and a stem keeps at least two syllables.
    private static readonly FrozenSet<string> Stripping = new[]
    {
        "은", "는", "을", "를", "의", "에", "에서", "에게", "에게서", "께서", "한테", "으로", "와", "과", "까지", "부터",
        "보다", "처럼", "마다", "조차", "마저", "밖에", "이나", "라도", "이라도", "든지", "이든지", "이란", "라는", "이라는",
        "라고", "이라고", "로서", "으로서", "로써", "으로써", "이랑", "대로", "들", "이다", "입니다", "이며", "이고", "였다",
        "이었다", "이므로", "하다", "한다", "하는", "하고", "하여", "해서", "했다", "했으며", "하며", "하기", "하지", "되다",
        "된다", "되는", "되어", "됐다", "되며", "되고", "되었다", "시키다", "시키는", "시킨", "가", "이", "로", "도", "만",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> MatchingLookup = Matching.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StrippingLookup = Stripping.GetAlternateLookup<ReadOnlySpan<char>>();

    private const int MaxPieceLength = 4;

    /// <summary>True when <paramref name="tail"/> (the rest of an eojeol after a known term) is a chain of particles or endings.</summary>
    /// <param name="tail">The characters after the term, up to the end of the eojeol.</param>
    public static bool IsParticleChain(ReadOnlySpan<char> tail) => IsChain(tail, MatchingLookup);

    /// <summary>
    /// The stem of an unknown Korean word: the word without its longest particle/ending chain, as long as at least two
    /// syllables remain (회사가 → 회사, 금융실명제는 → 금융실명제, 국가 → 국가, 보고서 → 보고서).
    /// </summary>
    /// <param name="word">One eojeol.</param>
    public static ReadOnlySpan<char> Stem(ReadOnlySpan<char> word)
    {
        var first = Math.Max(2, word.Length - MaxTailLength);
        for (var cut = first; cut < word.Length; cut++)
        {
            if (IsChain(word[cut..], StrippingLookup))
            {
                return word[..cut];
            }
        }

        return word;
    }

    // Splits tail into pieces left to right; reachable[i] says tail[..i] is a chain. The tail is at most MaxTailLength
    // characters, so this is constant work per call.
    private static bool IsChain(ReadOnlySpan<char> tail, FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> pieces)
    {
        if (tail.IsEmpty || tail.Length > MaxTailLength)
        {
            return false;
        }

        Span<bool> reachable = stackalloc bool[MaxTailLength + 1];
        reachable[0] = true;
        for (var start = 0; start < tail.Length; start++)
        {
            if (!reachable[start])
            {
                continue;
            }

            for (var length = 1; length <= MaxPieceLength && start + length <= tail.Length; length++)
            {
                if (pieces.Contains(tail.Slice(start, length)))
                {
                    reachable[start + length] = true;
                }
            }
        }

        return reachable[tail.Length];
    }
}
