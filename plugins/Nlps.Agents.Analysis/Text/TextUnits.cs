using System.Text.RegularExpressions;

namespace Nlps.Agents.Analysis.Text;

/// <summary>Sentence splitting and content words for Korean and Latin text.</summary>
internal static partial class TextUnits
{
    private static readonly string[] Particles =
    [
        "에서는", "으로는", "이라는", "에게서", "입니다", "에서", "에게", "으로", "까지", "부터", "보다", "처럼", "이나", "이며", "이고", "이다", "에는", "에도", "와의", "과의",
        "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "만", "로",
    ];

    public static IReadOnlyList<string> Sentences(string text) =>
        SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    /// <summary>Content words: Hangul words with one trailing particle removed (two syllables or more), Latin words of three letters or more, lower-cased.</summary>
    public static IEnumerable<string> ContentWords(string text)
    {
        foreach (Match match in Word().Matches(text))
        {
            var word = match.Value;
            if (word[0] is >= '가' and <= '힣')
            {
                var stem = StripParticle(word);
                if (stem.Length >= 2)
                {
                    yield return stem;
                }
            }
            else if (word.Length >= 3 && !char.IsDigit(word[0]))
            {
                yield return word.ToLowerInvariant();
            }
        }
    }

    public static string StripParticle(string word)
    {
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

    [GeneratedRegex(@"(?<=[.!?。])\s+|\n+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[가-힣]+|[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
