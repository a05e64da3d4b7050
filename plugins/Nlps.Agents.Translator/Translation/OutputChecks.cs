using System.Text.RegularExpressions;
using Nlps.Agents.Text.Matching;
using Nlps.Agents.Translator.Contracts;

namespace Nlps.Agents.Translator.Translation;

/// <summary>Checks on a translated segment: mandated English terms present, source numbers carried over.</summary>
internal static partial class OutputChecks
{
    /// <summary>The mandated terms whose English form does not appear in <paramref name="translation"/> (case-insensitive, whole words, plurals allowed).</summary>
    public static IReadOnlyList<AppliedTerm> MissingTerms(IReadOnlyList<AppliedTerm> terms, string translation)
    {
        if (terms.Count == 0)
        {
            return [];
        }

        var matcher = new TermMatcher([.. terms.Select(t => t.English)]);
        var found = matcher.FindAll(TextFolding.Nfc(translation)).Select(m => TextFolding.FoldTerm(terms[m.TermId].English)).ToHashSet(StringComparer.Ordinal);
        return [.. terms.Where(t => !found.Contains(TextFolding.FoldTerm(t.English)))];
    }

    /// <summary>Numbers in the source (digits, thousands separators dropped) that do not appear in the translation.</summary>
    public static IReadOnlyList<string> MissingNumbers(string source, string translation)
    {
        var target = Numbers(translation).ToHashSet(StringComparer.Ordinal);
        return [.. Numbers(source).Distinct(StringComparer.Ordinal).Where(n => !target.Contains(n))];
    }

    private static IEnumerable<string> Numbers(string text) =>
        Number().Matches(text).Select(m => m.Value.Replace(",", string.Empty, StringComparison.Ordinal));

    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
