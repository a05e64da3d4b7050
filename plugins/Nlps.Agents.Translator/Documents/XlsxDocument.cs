using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Nlps.Agents.Text.Segmentation;

namespace Nlps.Agents.Translator.Documents;

/// <summary>
/// An .xlsx: the text cells are translated and nothing else. The shared strings that cells use (each once, however
/// many cells share it) and the cells' inline strings are the pieces, taken apart by <see cref="SpreadsheetString"/>.
/// Numbers, dates, booleans, errors, formulas and their cached results, styles, merged cells, sheet names, defined
/// names, comments, headers and footers, charts and every other part are left as they are: sheet names in particular
/// stay, because formulas refer to them.
/// </summary>
internal sealed class XlsxDocument(byte[] original, List<TextSegment> segments) : TranslatableDocument
{
    public override IReadOnlyList<TextSegment> Segments => segments;

    public static XlsxDocument Open(string name, byte[] content, long maxUnpackedBytes) =>
        OfficePackage.Read(name, content, maxUnpackedBytes, ".xlsx", stream =>
        {
            using var document = SpreadsheetDocument.Open(stream, isEditable: false);
            return new XlsxDocument(content, Numbered(Strings(document).SelectMany(s => s.Pieces)));
        });

    public override byte[] Write(IReadOnlyList<string> translations) =>
        OfficePackage.Edit(original, stream =>
        {
            using var document = SpreadsheetDocument.Open(stream, isEditable: true);
            var next = 0;
            foreach (var text in Strings(document).ToList())
            {
                text.Replace(translations, ref next);
            }
        });

    // The shared strings that cells use, in index order, then the inline strings sheet by sheet (the workbook's sheet
    // order): the same order every time the same package is read.
    private static IEnumerable<SpreadsheetString> Strings(SpreadsheetDocument document)
    {
        var workbook = document.WorkbookPart ?? throw new InvalidDataException("the package has no workbook part");
        var used = new SortedSet<int>();
        var inline = new List<InlineString>();
        foreach (var sheet in workbook.Workbook?.Sheets?.Elements<Sheet>() ?? [])
        {
            if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
            {
                continue;
            }

            foreach (var cell in part.Worksheet.Descendants<Cell>())
            {
                if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(cell.CellValue?.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    used.Add(index);
                }
                else if (cell.DataType?.Value == CellValues.InlineString && cell.InlineString is { } text)
                {
                    inline.Add(text);
                }
            }
        }

        var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().ToList() ?? [];
        return used.Where(i => i < shared.Count).Select(i => (DocumentFormat.OpenXml.Spreadsheet.RstType)shared[i])
            .Concat(inline)
            .Select(SpreadsheetString.Find)
            .OfType<SpreadsheetString>();
    }
}
