using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>
/// Spreadsheets through Open XML: each sheet is a heading, each row below the first a table row written as
/// "header: value" pairs so a row stands on its own in a chunk.
/// </summary>
internal static class XlsxExtractor
{
    public static List<DocumentBlock> Extract(byte[] content, string name)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = SpreadsheetDocument.Open(stream, isEditable: false);
            var workbook = document.WorkbookPart ?? throw new ExtractionException($"{name}: the .xlsx has no workbook");
            var strings = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
            var blocks = new List<DocumentBlock>();
            foreach (var sheet in workbook.Workbook?.Sheets?.Elements<Sheet>() ?? [])
            {
                if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
                {
                    continue;
                }

                blocks.Add(new DocumentBlock(BlockKind.Heading, sheet.Name?.Value ?? "sheet", 1));
                List<string>? headers = null;
                foreach (var row in part.Worksheet.Descendants<Row>())
                {
                    var values = row.Elements<Cell>().Select(c => CellText(c, strings)).ToList();
                    if (values.All(string.IsNullOrWhiteSpace))
                    {
                        continue;
                    }

                    if (headers is null)
                    {
                        headers = values;
                        continue;
                    }

                    var pairs = values.Select((v, i) => (Header: i < headers.Count ? headers[i] : string.Empty, Value: v))
                        .Where(p => !string.IsNullOrWhiteSpace(p.Value))
                        .Select(p => string.IsNullOrWhiteSpace(p.Header) ? p.Value : $"{p.Header}: {p.Value}");
                    blocks.Add(new DocumentBlock(BlockKind.TableRow, Whitespace.Collapse(string.Join(" | ", pairs))));
                }

                if (headers is not null && blocks[^1].Kind == BlockKind.Heading)
                {
                    blocks.Add(new DocumentBlock(BlockKind.TableRow, Whitespace.Collapse(string.Join(" | ", headers))));
                }
            }

            return blocks;
        }
        catch (Exception ex) when (ex is not ExtractionException and (IOException or InvalidDataException or OpenXmlPackageException or System.Xml.XmlException or ArgumentException or InvalidOperationException or FormatException))
        {
            throw new ExtractionException($"{name}: not a readable .xlsx file ({ex.Message})", ex);
        }
    }

    // Cells are positional by reference (A1, C1); a sparse row skips empty cells, which is acceptable for text search.
    private static string CellText(Cell cell, List<string> strings)
    {
        var raw = cell.CellValue?.Text ?? cell.InnerText;
        if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
        {
            return index >= 0 && index < strings.Count ? strings[index] : string.Empty;
        }

        return raw;
    }
}
