using System.Globalization;
using System.Text;

namespace Nlps.Cli.Output;

/// <summary>Writes rows as left-aligned columns, measuring Korean (wide) characters as two cells.</summary>
internal static class Table
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { headers.ToArray() };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, headers.Count).Select(c => all.Max(r => DisplayWidth(r[c]))).ToArray();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var c = 0; c < row.Length; c++)
            {
                line.Append(row[c]);
                if (c < row.Length - 1)
                {
                    line.Append(' ', widths[c] - DisplayWidth(row[c]) + 2);
                }
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    internal static int DisplayWidth(string text)
    {
        var width = 0;
        var runes = text.EnumerateRunes();
        foreach (var rune in runes)
        {
            width += IsWide(rune) ? 2 : 1;
        }

        return width;
    }

    // East Asian wide ranges that appear in our text: Hangul, CJK, full-width forms.
    private static bool IsWide(Rune rune) => rune.Value switch
    {
        >= 0x1100 and <= 0x115F => true,
        >= 0x2E80 and <= 0xA4CF => true,
        >= 0xAC00 and <= 0xD7A3 => true,
        >= 0xF900 and <= 0xFAFF => true,
        >= 0xFF00 and <= 0xFF60 => true,
        >= 0xFFE0 and <= 0xFFE6 => true,
        _ => CharUnicodeInfo.GetUnicodeCategory(rune.Value) == UnicodeCategory.OtherSymbol && rune.Value >= 0x1F300,
    };
}
