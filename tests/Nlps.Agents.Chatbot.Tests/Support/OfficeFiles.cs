using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Nlps.Agents.Chatbot.Tests.Support;

/// <summary>Builds real .docx and .xlsx files with the Open XML SDK, so the extractors read what Word and Excel write.</summary>
internal static class OfficeFiles
{
    public static byte[] Docx(params (string? Style, string Text)[] paragraphs) => Docx(paragraphs, table: null);

    public static byte[] Docx((string? Style, string Text)[] paragraphs, string[][]? table)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new W.Body();
            foreach (var (style, text) in paragraphs)
            {
                var paragraph = new W.Paragraph(new W.Run(new W.Text(text)));
                if (style is not null)
                {
                    paragraph.PrependChild(new W.ParagraphProperties(new W.ParagraphStyleId { Val = style }));
                }

                body.Append(paragraph);
            }

            if (table is not null)
            {
                body.Append(new W.Table(table.Select(row => new W.TableRow(row.Select(cell => new W.TableCell(new W.Paragraph(new W.Run(new W.Text(cell)))))))));
            }

            main.Document = new W.Document(body);
        }

        return stream.ToArray();
    }

    public static byte[] Xlsx(string sheetName, params string[][] rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var index = 0;
            foreach (var row in rows)
            {
                var cells = new List<Cell>();
                foreach (var value in row)
                {
                    strings.SharedStringTable.Append(new SharedStringItem(new Text(value)));
                    cells.Add(new Cell { DataType = CellValues.SharedString, CellValue = new CellValue(index++.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
                }

                data.Append(new Row(cells));
            }

            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName }));
        }

        return stream.ToArray();
    }
}
