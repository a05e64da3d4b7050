using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using SheetText = DocumentFormat.OpenXml.Spreadsheet.Text;

namespace Nlps.Agents.Translator.Documents;

/// <summary>
/// The Korean in one spreadsheet string (a shared string item or a cell's inline string) and how its translation goes
/// back. Each line with Hangul is one piece (its surrounding spaces kept, a line break in the cell stays one).
/// Rich text: the span from the first run with Hangul to the last one is translated as one text, so a sentence is not
/// cut where its formatting changes; the translation goes into the first run of the span, keeping that run's
/// formatting, and the other runs of the span are removed. Runs before and after the span (numbers, units, Latin,
/// markers such as ※) keep their text and formatting, so a string whose Korean is in one run keeps every run's
/// formatting. Phonetic runs and properties are not touched.
/// </summary>
internal sealed class SpreadsheetString
{
    private readonly RstType item;
    private readonly List<Run> span;
    private readonly string[] lines;

    private SpreadsheetString(RstType item, List<Run> span, string text)
    {
        this.item = item;
        this.span = span;
        lines = text.Split('\n');
    }

    /// <summary>The lines with Hangul, without their surrounding spaces, in order.</summary>
    public IEnumerable<string> Pieces => lines.Where(TranslatableDocument.HasKorean).Select(l => l.Trim());

    /// <summary>The string's Korean, or null when it has none.</summary>
    public static SpreadsheetString? Find(RstType item)
    {
        var runs = item.Elements<Run>().ToList();
        if (runs.Count == 0)
        {
            return item.Text?.Text is { } plain && TranslatableDocument.HasKorean(plain) ? new SpreadsheetString(item, [], plain) : null;
        }

        var first = runs.FindIndex(r => TranslatableDocument.HasKorean(r.Text?.Text ?? string.Empty));
        if (first < 0)
        {
            return null;
        }

        var last = runs.FindLastIndex(r => TranslatableDocument.HasKorean(r.Text?.Text ?? string.Empty));
        var span = runs.GetRange(first, last - first + 1);
        return new SpreadsheetString(item, span, string.Concat(span.Select(r => r.Text?.Text)));
    }

    /// <summary>Writes the translations of <see cref="Pieces"/>, taken from <paramref name="translations"/> at <paramref name="next"/>.</summary>
    public void Replace(IReadOnlyList<string> translations, ref int next)
    {
        var written = new string[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!TranslatableDocument.HasKorean(line))
            {
                written[i] = line;
                continue;
            }

            var piece = line.Trim();
            var lead = line[..line.IndexOf(piece, StringComparison.Ordinal)];
            written[i] = lead + translations[next++].ReplaceLineEndings(" ") + line[(lead.Length + piece.Length)..];
        }

        var text = new SheetText(string.Join('\n', written)) { Space = SpaceProcessingModeValues.Preserve };
        if (span.Count == 0)
        {
            item.Text = text;
            return;
        }

        span[0].Text = text;
        foreach (var run in span.Skip(1))
        {
            run.Remove();
        }
    }
}
