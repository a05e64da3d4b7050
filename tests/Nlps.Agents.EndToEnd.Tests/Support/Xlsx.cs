using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Nlps.Agents.EndToEnd.Tests.Support;

/// <summary>Builds real .xlsx files (inline strings in columns A and B) for import tests.</summary>
internal static class Xlsx
{
    public static byte[] Build(params (string A, string B)[] rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var i = 0; i < rows.Length; i++)
            {
                var row = new Row { RowIndex = (uint)(i + 1) };
                row.Append(Cell($"A{i + 1}", rows[i].A), Cell($"B{i + 1}", rows[i].B));
                data.Append(row);
            }

            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "용어" }));
        }

        return stream.ToArray();
    }

    private static Cell Cell(string reference, string text) =>
        new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };
}
