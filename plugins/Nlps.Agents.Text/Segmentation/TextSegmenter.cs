namespace Nlps.Agents.Text.Segmentation;

/// <summary>
/// Splits a text into sentences and lines for translation. A sentence ends at <c>. ? ! 。 ？ ！ …</c> followed by
/// whitespace or the end, except a full stop between digits (1.5%) or after a single Latin capital (U.S.); a line
/// break always ends a segment, and a blank line ends a paragraph. Sentences longer than
/// <see cref="MaxSegmentLength"/> are cut at the last space before the limit so no segment overwhelms a prompt.
/// </summary>
public static class TextSegmenter
{
    /// <summary>The longest segment, in characters.</summary>
    public const int MaxSegmentLength = 1000;

    /// <summary>The segments of <paramref name="text"/>, in order; empty for blank text.</summary>
    /// <param name="text">The text.</param>
    public static IReadOnlyList<TextSegment> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<(int Start, int End)>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                spans.Add((start, i));
                start = i + 1;
            }
            else if (IsTerminator(text, i) && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                spans.Add((start, i + 1));
                start = i + 1;
            }
        }

        spans.Add((start, text.Length));

        var segments = new List<TextSegment>();
        foreach (var (spanStart, spanEnd) in spans)
        {
            AddTrimmed(text, spanStart, spanEnd, segments);
        }

        return FixSeparators(text, segments);
    }

    private static bool IsTerminator(string text, int i)
    {
        var c = text[i];
        if (c is '?' or '!' or '。' or '？' or '！' or '…')
        {
            return true;
        }

        if (c != '.')
        {
            return false;
        }

        var before = i > 0 ? text[i - 1] : ' ';
        var beforeThat = i > 1 ? text[i - 2] : ' ';
        var after = i + 1 < text.Length ? text[i + 1] : ' ';
        var decimalPoint = char.IsAsciiDigit(before) && char.IsAsciiDigit(after);
        var initial = char.IsAsciiLetterUpper(before) && !char.IsLetter(beforeThat);
        return !decimalPoint && !initial;
    }

    private static void AddTrimmed(string text, int start, int end, List<TextSegment> segments)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        while (end - start > MaxSegmentLength)
        {
            var cut = text.LastIndexOf(' ', start + MaxSegmentLength, MaxSegmentLength);
            cut = cut <= start ? start + MaxSegmentLength : cut;
            segments.Add(new TextSegment(segments.Count, start, text[start..cut].TrimEnd(), string.Empty));
            start = cut;
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }
        }

        if (end > start)
        {
            segments.Add(new TextSegment(segments.Count, start, text[start..end], string.Empty));
        }
    }

    // The separator after a segment is read from the source gap before the next one: a blank line, a line break, or a space.
    private static List<TextSegment> FixSeparators(string text, List<TextSegment> segments)
    {
        for (var i = 0; i + 1 < segments.Count; i++)
        {
            var gapStart = segments[i].Start + segments[i].Text.Length;
            var gap = text.AsSpan(gapStart, segments[i + 1].Start - gapStart);
            var breaks = gap.Count('\n');
            segments[i] = segments[i] with { Separator = breaks >= 2 ? "\n\n" : breaks == 1 ? "\n" : " " };
        }

        return segments;
    }
}
