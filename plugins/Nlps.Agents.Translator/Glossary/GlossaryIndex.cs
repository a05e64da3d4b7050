using Nlps.Agents.Text.Matching;
using Nlps.Agents.Translator.Contracts;

namespace Nlps.Agents.Translator.Glossary;

/// <summary>
/// One immutable version of the glossary with its matchers: the Korean terms for source text and the English terms
/// for output (compliance) and English input. Rebuilt whole on every change (linear in the glossary size), so
/// readers never lock.
/// </summary>
internal sealed class GlossaryIndex
{
    private readonly Dictionary<string, int> byFoldedKorean;
    private readonly TermMatcher korean;
    private readonly TermMatcher english;

    public GlossaryIndex(IEnumerable<GlossaryEntry> entries)
    {
        Entries = [.. entries.OrderBy(e => e.Korean, StringComparer.Ordinal)];
        byFoldedKorean = new Dictionary<string, int>(Entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < Entries.Count; i++)
        {
            byFoldedKorean.TryAdd(TextFolding.FoldTerm(Entries[i].Korean), i);
        }

        korean = new TermMatcher([.. Entries.Select(e => e.Korean)]);
        english = new TermMatcher([.. Entries.Select(e => e.English)]);
    }

    public static GlossaryIndex Empty { get; } = new([]);

    /// <summary>The entries, sorted by the Korean term (ordinal).</summary>
    public IReadOnlyList<GlossaryEntry> Entries { get; }

    public int Count => Entries.Count;

    public GlossaryEntry? Find(string koreanTerm) =>
        byFoldedKorean.TryGetValue(TextFolding.FoldTerm(koreanTerm), out var index) ? Entries[index] : null;

    /// <summary>Korean terms in <paramref name="text"/> (NFC), leftmost-longest, particles tolerated.</summary>
    public IEnumerable<(GlossaryEntry Entry, TermMatch Match)> FindKorean(string text) =>
        korean.FindAll(text).Select(m => (Entries[m.TermId], m));

    /// <summary>English terms in <paramref name="text"/> (NFC), case-insensitive, plurals tolerated.</summary>
    public IEnumerable<(GlossaryEntry Entry, TermMatch Match)> FindEnglish(string text) =>
        english.FindAll(text).Select(m => (Entries[m.TermId], m));
}
