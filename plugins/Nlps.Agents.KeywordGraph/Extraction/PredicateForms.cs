using System.Collections.Frozen;

namespace Nlps.Agents.KeywordGraph.Extraction;

/// <summary>
/// Korean verb and adjective forms (한다, 받으려면, 있습니다, 제출해야, 중요한), which are never keywords. A word, after
/// its particles are stripped, is a predicate form when it ends in
/// <list type="number">
/// <item>one of the <see cref="Endings"/>: connective and final endings (-려면, -해야, -하여, -하고, -되는, -니다,
/// -지만 …), polite -요 forms (해요, 세요, 어요 …) that end no noun, and adnominal endings that end no noun either
/// (-하는, -하던, -했던, ㅂ-irregular -로운/-러운/-려운); -요 alone is not one, so 필요, 중요, 수요 and 개요 stay;</item>
/// <item>-다 after a syllable with a final consonant (한다, 있다, 했다, 받는다, 많다) or after one of
/// <see cref="DaStems"/> (하다, 되다, 시키다, 보내다); so 캐나다 and 바다 stay, and -이다 and -보다 are left to the
/// particle stripping (금융실명제이다, 원산지보다);</item>
/// <item>-된 or -될 (부과된, 적용될);</item>
/// <item>adnominal -한 or -할 (중요한, 필요한, 제출할, 관한), unless the word ends in one of the
/// <see cref="HanHalNouns"/> (권한, 납부기한, 무제한, 주식분할, 역할): the nouns that end in these syllables are few
/// and known, the 하다 forms are countless;</item>
/// <item>adnominal -은, -을 or -는 on a one-syllable stem (받은, 높은, 있을, 받는), which the particle stripping leaves
/// whole because a stem keeps two syllables; -은/-을 only after a final consonant, so 가을 and 마을 stay, and 한은
/// (the Bank of Korea) is a noun.</item>
/// </list>
/// A 하다/되다 verb or a copula built on a noun gives the noun back (제출해야 → 제출, 신고하려면 → 신고, 중요한 → 중요,
/// 통관되었습니다 → 통관, 사항입니다 → 사항): it is split at its last 하/되 syllable after at least two syllables that
/// is not followed by a copula (주식분할합니다 → 주식분할, 납부기한입니다 → 납부기한), or before its copula. Any other
/// predicate form is dropped. -지만 after a noun-like syllable is not an ending (원산지만 is 원산지 + 만).
/// </summary>
internal static class PredicateForms
{
    private static readonly string[] Endings =
    [
        "니다", "니까", "시오", "려면", "으면", "하면", "되면", "다면", "으며", "으나", "으니", "는데", "은데", "한데", "도록",
        "있지만", "없지만", "않지만", "하지만", "되지만", "했지만", "였지만", "었지만", "았지만", "겠지만", "므로", "거나",
        "더라도", "어야", "아야", "해야", "여야", "워야", "돼야", "져야", "어서", "아서", "해서", "여서", "돼서", "워서", "져서",
        "돼도", "하여", "되어", "하고", "되고", "있고", "없고", "않고",
        "하는", "되는", "있는", "없는", "않는", "하지", "되지", "않은", "않아", "하게", "되게", "려고", "려는", "는지", "은지",
        "을지", "한지", "할지", "세요", "어요", "아요", "해요", "에요", "예요", "네요", "지요", "군요", "나요", "까요", "데요", "게요", "워요",
        "돼요", "져요", "봐요", "줘요", "와요", "죠", "된", "될",
        "하던", "되던", "있던", "없던", "않던", "했던", "됐던", "였던", "었던", "았던", "로운", "러운", "려운", "거운", "까운",
    ];

    // Nouns ending in 한 or 할, matched at the end of a word so their compounds stay too (납부기한, 가격상한, 액면분할).
    private static readonly string[] HanHalNouns =
    [
        "권한", "기한", "제한", "시한", "상한", "하한", "연한", "국한", "무한", "유한", "극한", "혹한", "방한", "북한", "남한",
        "최소한", "최대한", "문외한", "분할", "역할", "관할", "직할", "일할", "월할",
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
        return (word[^1] == '다' && (HasFinalConsonant(before) || DaStems.Contains(before))) || IsAdnominal(word);
    }

    /// <summary>The noun a 하다/되다 verb form or a copula is built on (제출해야 → 제출, 사항입니다 → 사항), or null when there is none.</summary>
    public static string? NounOf(string predicate)
    {
        for (var i = predicate.Length - 1; i >= 2; i--)
        {
            // A copula after the syllable makes it the end of a noun (납부기한입니다), not a verb stem.
            if (VerbStems.Contains(predicate[i]) && (i + 1 == predicate.Length || predicate[i + 1] is not ('이' or '입')))
            {
                return predicate[..i];
            }
        }

        var copula = Array.Find(Copulas, c => predicate.Length - c.Length >= 2 && predicate.EndsWith(c, StringComparison.Ordinal));
        return copula is null ? null : predicate[..^copula.Length];
    }

    private static bool IsAdnominal(string word)
    {
        var last = word[^1];
        if (last is '한' or '할')
        {
            return !Array.Exists(HanHalNouns, noun => word.EndsWith(noun, StringComparison.Ordinal));
        }

        return word.Length == 2 && (last == '는' || (last is '은' or '을' && HasFinalConsonant(word[0]) && word != "한은"));
    }

    // A precomposed syllable is 0xAC00 + (initial × 21 + medial) × 28 + final, final 0 meaning none.
    private static bool HasFinalConsonant(char syllable) => syllable is >= '\uAC00' and <= '\uD7A3' && (syllable - 0xAC00) % 28 != 0;
}
