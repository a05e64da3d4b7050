using System.Collections.Frozen;

namespace Nlps.Agents.KeywordGraph.Extraction;

/// <summary>
/// Words that are never keywords on their own: Korean function nouns, demonstratives, dependent nouns and frequent
/// predicates as they look after stemming (것, 수, 등, 경우, 있다 → 있), and English function words.
/// </summary>
internal static class StopWords
{
    private static readonly FrozenSet<string> Words = new[]
    {
        "것", "수", "등", "및", "또는", "그", "이", "저", "때", "경우", "위", "대한", "관련", "통해", "따라", "따른", "있다", "없다", "이다", "보다",
        "하다", "되다", "이번", "해당", "기타", "각", "모든", "우리", "제", "년", "월", "일", "또한", "그리고", "그러나", "하지만",
        "이러한", "그러한", "어떠한", "이런", "그런", "같은", "위한", "대해", "있는", "없는", "있으며", "있고", "하여", "이상", "이하", "이내",
        "중", "내", "외", "후", "전", "시", "점", "바", "데", "측", "간", "때문", "정도", "부분", "가지", "여러", "다른", "이후", "이전",
        "the", "and", "for", "with", "that", "this", "from", "are", "was", "were", "has", "have", "had", "not", "but", "its",
        "into", "than", "then", "which", "who", "whom", "whose", "will", "would", "shall", "should", "may", "might", "can",
        "could", "also", "such", "any", "all", "each", "other", "these", "those", "there", "their", "they", "them", "been",
        "being", "under", "over", "about", "after", "before", "between", "within", "without", "per", "via", "our", "your",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool Contains(string word) => Words.Contains(word);
}
