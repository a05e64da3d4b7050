using System.Buffers;
using Nlps.Agents.Text.Korean;

namespace Nlps.Agents.Text.Matching;

/// <summary>
/// Finds known terms in Korean or English text in linear time, with these rules:
/// <list type="bullet">
/// <item>A term starts a word: the character before it is not a letter or digit (so 실명제 is not found inside 금융실명제).</item>
/// <item>A term ends a word, or is followed inside its eojeol by a chain of Korean particles or endings
/// (금융실명제는, 금융실명제를, 외국환거래법에서의), or, for a Latin term, by a plural <c>s</c>/<c>es</c> or <c>'s</c>.</item>
/// <item>Overlaps are resolved leftmost first, then longest: scanning left to right, the longest term starting at the
/// earliest free position wins and everything it covers (particles included) is skipped.</item>
/// </list>
/// Comparison is on folded text (NFC, lower case, whitespace as one space), see <see cref="TextFolding"/>. Positions
/// refer to the NFC form of the input, which is the input itself unless it held decomposed characters.
/// </summary>
public sealed class TermMatcher
{
    private readonly TermAutomaton automaton;
    private readonly string[] folded;

    /// <summary>Builds the matcher. Term <c>i</c> is reported with id <c>i</c>; terms that fold to the same text report the first.</summary>
    /// <param name="terms">The terms as written.</param>
    public TermMatcher(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        folded = new string[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            folded[i] = TextFolding.FoldTerm(terms[i]);
        }

        automaton = new TermAutomaton(folded);
    }

    /// <summary>How many terms the matcher knows.</summary>
    public int Count => folded.Length;

    /// <summary>The non-overlapping matches in <paramref name="text"/>, in text order.</summary>
    /// <param name="text">NFC text (use <see cref="TextFolding.Nfc"/> first when unsure).</param>
    public IReadOnlyList<TermMatch> FindAll(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || folded.Length == 0)
        {
            return [];
        }

        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        // best[start] = 1 + index into candidates of the longest accepted term starting there (0 = none).
        var best = ArrayPool<int>.Shared.Rent(text.Length);
        try
        {
            var foldedText = buffer.AsSpan(0, text.Length);
            TextFolding.FoldText(text, foldedText);
            best.AsSpan(0, text.Length).Clear();
            var scan = new ScanState(buffer, text.Length, best);
            automaton.Scan(foldedText, ref scan, OnCandidate);
            return Select(scan, text.Length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(best);
        }
    }

    private static void OnCandidate(ref ScanState state, int termId, int start, int length)
    {
        var text = state.Text.AsSpan(0, state.Length);
        if (start > 0 && Hangul.IsWordChar(text[start - 1]))
        {
            return;
        }

        var surface = SurfaceLength(text, start, length);
        if (surface < 0)
        {
            return;
        }

        var slot = state.Best[start];
        if (slot == 0 || state.Candidates[slot - 1].Length < length)
        {
            state.Candidates.Add(new TermMatch(termId, start, length, surface));
            state.Best[start] = state.Candidates.Count;
        }
    }

    // The term's length plus what may legally follow it inside the word, or -1 when the term does not end a word.
    private static int SurfaceLength(ReadOnlySpan<char> text, int start, int length)
    {
        var end = start + length;
        if (end == text.Length || !Hangul.IsWordChar(text[end]) || !Hangul.IsWordChar(text[end - 1]))
        {
            return length;
        }

        var last = text[end - 1];
        if (Hangul.IsSyllable(last) && Hangul.IsSyllable(text[end]))
        {
            var wordEnd = end;
            while (wordEnd < text.Length && wordEnd - end <= KoreanSuffixes.MaxTailLength && Hangul.IsSyllable(text[wordEnd]))
            {
                wordEnd++;
            }

            var endsWord = wordEnd == text.Length || !Hangul.IsWordChar(text[wordEnd]);
            return endsWord && KoreanSuffixes.IsParticleChain(text[end..wordEnd]) ? wordEnd - start : -1;
        }

        if (char.IsAsciiLetter(last))
        {
            foreach (var plural in (ReadOnlySpan<string>)["s", "es", "'s"])
            {
                var after = end + plural.Length;
                if (after <= text.Length && text[end..after].SequenceEqual(plural) && (after == text.Length || !Hangul.IsWordChar(text[after])))
                {
                    return after - start;
                }
            }
        }

        return -1;
    }

    private static List<TermMatch> Select(ScanState state, int length)
    {
        var selected = new List<TermMatch>();
        var free = 0;
        for (var start = 0; start < length; start++)
        {
            var slot = state.Best[start];
            if (slot == 0 || start < free)
            {
                continue;
            }

            var match = state.Candidates[slot - 1];
            selected.Add(match);
            free = start + match.SurfaceLength;
        }

        return selected;
    }

    private readonly struct ScanState(char[] text, int length, int[] best)
    {
        public char[] Text { get; } = text;

        public int Length { get; } = length;

        public int[] Best { get; } = best;

        public List<TermMatch> Candidates { get; } = [];
    }
}
