using System.Collections.Frozen;

namespace Nlps.Agents.KeywordGraph.Extraction;

/// <summary>
/// Korean verb and adjective forms (한다, 받으려면, 있습니다, 제출해야), which are never keywords. A word, after its
/// particles are stripped, is a predicate form when it ends in
/// <list type="number">
/// <item>one of the <see cref="Endings"/>: connective and final endings (-려면, -해야, -하여, -하고, -되는, -니다,
/// -지만 …) and polite -요 forms (해요, 세요, 어요 …) that end no noun; -요 alone is not one, so 필요, 중요, 수요 and
/// 개요 stay;</item>
/// <item>-다 after a syllable with a final consonant (한다, 있다, 했다, 받는다, 많다) or after one of
/// <see cref="DaStems"/> (하다, 되다, 시키다, 보내다); so 캐나다 and 바다 stay, and -이다 and -보다 are left to the
/// particle stripping (금융실명제이다, 원산지보다);</item>
/// <item>-된 or -될 (부과된, 적용될).</item>
/// </list>
/// A 하다/되다 verb or a copula built on a noun gives the noun back (제출해야 → 제출, 신고하려면 → 신고,
/// 통관되었습니다 → 통관, 사항입니다 → 사항): it is split at its first 하/되 syllable after at least two syllables, or
/// before its copula. Any other predicate form is dropped. Adnominal -한/-할 are not treated as endings: too many nouns
/// end in them (권한, 기한, 제한, 주식분할); nor is -지만 after a noun-like syllable (원산지만 is 원산지 + 만).
/// </summary>
internal static class PredicateForms
{
    private static readonly string[] Endings =
    [
        "니다", "니까", "시오", "려면", "으면", "하면", "되면", "다면", "으며", "으나", "으니", "는데", "은데", "도록",
        "있지만", "없지만", "않지만", "하지만", "되지만", "했지만", "였지만", "었지만", "았지만", "겠지만", "므로", "거나",
        "더라도", "어야", "아야", "해야", "여야", "워야", "돼야", "져야", "어서", "아서", "해서", "여서", "돼서", "워서", "져서",
        "돼도", "하여", "되어", "하고", "되고", "있고", "없고", "않고",
        "하는", "되는", "있는", "없는", "않는", "하지", "되지", "않은", "않아", "하게", "되게", "려고", "려는", "는지", "은지",
        "을지", "세요", "어요", "아요", "해요", "에요", "예요", "네요", "지요", "군요", "나요", "까요", "데요", "게요", "워요",
        "돼요", "져요", "봐요", "줘요", "와요", "죠", "된", "될",
    ];

    // Copula forms, longest first, so 사항이었습니다 loses 이었습니다 and not 습니다.
    private static readonly string[] Copulas = ["이었습니다", "였습니다", "입니다", "입니까", "이에요", "예요", "이었다", "였다", "이다"];

    private static readonly FrozenSet<char> DaStems = "하되시지키리치기히내주오가서워려해돼쳐져켜러르크쁘프".ToFrozenSet();

    private static readonly FrozenSet<char> VerbStems = "하한할함합해했되된될됨됩돼됐".ToFrozenSet();

    /// <summary>True when <paramref name="word"/> (particles already stripped) is a verb or adjective form.</summary>
    public static bool IsPredicate(string word)
    {
        if (word.Length < 2)
        {
            return false;
        }

        foreach (var ending in Endings)
        {
            if (word.EndsWith(ending, StringComparison.Ordinal))
            {
                return true;
            }
        }

        var before = word[^2];
        return word[^1] == '다' && (HasFinalConsonant(before) || DaStems.Contains(before));
    }

    /// <summary>The noun a 하다/되다 verb form or a copula is built on (제출해야 → 제출, 사항입니다 → 사항), or null when there is none.</summary>
    public static string? NounOf(string predicate)
    {
        for (var i = 2; i < predicate.Length; i++)
        {
            if (VerbStems.Contains(predicate[i]))
            {
                return predicate[..i];
            }
        }

        var copula = Array.Find(Copulas, c => predicate.Length - c.Length >= 2 && predicate.EndsWith(c, StringComparison.Ordinal));
        return copula is null ? null : predicate[..^copula.Length];
    }

    // A precomposed syllable is 0xAC00 + (initial × 21 + medial) × 28 + final, final 0 meaning none.
    private static bool HasFinalConsonant(char syllable) => syllable is >= '\uAC00' and <= '\uD7A3' && (syllable - 0xAC00) % 28 != 0;
}
