using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Nlps.Agents.Translator.Documents;
using SheetText = DocumentFormat.OpenXml.Spreadsheet.Text;

namespace Nlps.Agents.Translator.Tests.Documents;

public sealed class XlsxDocumentTests
{
    private const long Limit = 64L * 1024 * 1024;

    [Fact]
    public void Text_cells_are_the_segments_each_shared_string_once_and_unused_or_formula_strings_never()
    {
        var document = TranslatableDocument.Read("공시.xlsx", Workbook(), Limit);

        // Shared strings in index order (0 is used by three cells; 3 has no Korean; 5 is used by no cell), then the
        // inline strings sheet by sheet. The formula's cached string "합계" is not a text cell.
        Assert.Equal(["재무상태표", "매출액 (단위: 백만원)", "영업이익", "자산", "부채", "비고: 감사 전 수치", "당기순이익"], document.Segments.Select(s => s.Text));
        Assert.Equal(Enumerable.Range(0, 7), document.Segments.Select(s => s.Index));
    }

    [Fact]
    public void Only_text_cells_change_numbers_dates_formulas_styles_merges_and_sheet_names_stay()
    {
        var input = Workbook();
        var document = TranslatableDocument.Read("공시.xlsx", input, Limit);
        var output = document.Write([.. document.Segments.Select(s => $"T{s.Index}")]);

        using var before = SpreadsheetDocument.Open(new MemoryStream(input), isEditable: false);
        using var after = SpreadsheetDocument.Open(new MemoryStream(output), isEditable: false);
        var beforeBook = before.WorkbookPart!;
        var afterBook = after.WorkbookPart!;
        Assert.Equal(SheetNames(beforeBook), SheetNames(afterBook));
        Assert.Equal(["재무상태표", "손익계산서"], SheetNames(afterBook));
        Assert.Equal(beforeBook.Workbook.DefinedNames!.OuterXml, afterBook.Workbook.DefinedNames!.OuterXml);
        Assert.Equal(beforeBook.WorkbookStylesPart!.Stylesheet.OuterXml, afterBook.WorkbookStylesPart!.Stylesheet.OuterXml);

        var texts = new List<string>();
        foreach (var (beforeSheet, afterSheet) in Sheets(beforeBook).Zip(Sheets(afterBook)))
        {
            Assert.Equal(beforeSheet.Worksheet.Elements<MergeCells>().Single().OuterXml, afterSheet.Worksheet.Elements<MergeCells>().Single().OuterXml);
            var beforeCells = beforeSheet.Worksheet.Descendants<Cell>().ToList();
            var afterCells = afterSheet.Worksheet.Descendants<Cell>().ToList();
            Assert.Equal(beforeCells.Count, afterCells.Count);
            foreach (var (old, updated) in beforeCells.Zip(afterCells))
            {
                Assert.Equal(old.CellReference?.Value, updated.CellReference?.Value);
                Assert.Equal(old.StyleIndex?.Value, updated.StyleIndex?.Value);
                Assert.Equal(old.DataType?.Value, updated.DataType?.Value);
                Assert.Equal(old.CellFormula?.OuterXml, updated.CellFormula?.OuterXml);
                if (old.DataType?.Value == CellValues.InlineString)
                {
                    texts.Add(updated.InlineString!.InnerText);
                }
                else
                {
                    // Numbers, dates, booleans, formula results and shared-string indexes are the same values.
                    Assert.Equal(old.CellValue?.Text, updated.CellValue?.Text);
                }
            }
        }

        Assert.Equal(["T5", "T6"], texts);
        var shared = afterBook.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().ToList();
        Assert.Equal("T0", shared[0].InnerText);
        var unitRuns = shared[1].Elements<Run>().ToList();
        Assert.Equal("T1", Assert.Single(unitRuns).Text!.Text);
        Assert.NotNull(unitRuns[0].RunProperties!.GetFirstChild<Bold>());
        var yearRuns = shared[2].Elements<Run>().ToList();
        Assert.Equal(["2024", " T2"], yearRuns.Select(r => r.Text!.Text));
        Assert.NotNull(yearRuns[0].RunProperties!.GetFirstChild<Bold>());
        Assert.NotNull(yearRuns[1].RunProperties!.GetFirstChild<Italic>());
        Assert.Equal("English only", shared[3].InnerText);
        Assert.Equal("  T3\nT4", shared[4].InnerText);
        Assert.Equal("사용하지 않음", shared[5].InnerText);
    }

    [Fact]
    public void A_file_that_is_not_an_xlsx_is_refused_naming_the_file()
    {
        var notZip = Assert.Throws<DocumentFormatException>(() => TranslatableDocument.Read("보고서.xlsx", "엑셀 파일이 아님"u8.ToArray(), Limit));
        var zipWithoutWorkbook = Assert.Throws<DocumentFormatException>(() => TranslatableDocument.Read("보고서.xlsx", Zip(("readme.txt", "안녕하세요")), Limit));

        Assert.StartsWith("보고서.xlsx: not a readable .xlsx", notZip.Message, StringComparison.Ordinal);
        Assert.StartsWith("보고서.xlsx: not a readable .xlsx", zipWithoutWorkbook.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workbook_without_sheets_or_text_cells_has_no_segments()
    {
        using var stream = new MemoryStream();
        using (var created = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            created.AddWorkbookPart().Workbook = new Workbook(new Sheets());
        }

        Assert.Empty(TranslatableDocument.Read("빈파일.xlsx", stream.ToArray(), Limit).Segments);
    }

    [Fact]
    public void A_package_that_unpacks_over_the_limit_is_refused_before_it_is_parsed()
    {
        var input = Workbook();

        var error = Assert.Throws<DocumentTooLargeException>(() => TranslatableDocument.Read("공시.xlsx", input, 2_000));

        Assert.Matches(@"^공시\.xlsx: its parts unpack to \d+ bytes; the limit is 2000$", error.Message);
    }

    private static List<string?> SheetNames(WorkbookPart book) => [.. book.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name?.Value)];

    private static IEnumerable<WorksheetPart> Sheets(WorkbookPart book) =>
        book.Workbook.Sheets!.Elements<Sheet>().Select(s => (WorksheetPart)book.GetPartById(s.Id!.Value!));

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return stream.ToArray();
    }

    // Two sheets with Korean names. Shared strings: 0 plain (three cells), 1 rich text with Korean in both runs (the
    // first bold), 2 rich text with a bold year and Korean in an italic run, 3 English only, 4 two lines with leading
    // spaces, 5 used by no cell. Also inline strings, a number, a date, a boolean, formulas (one with a cached
    // Korean string, one across sheets), styles, merged cells and a defined name.
    private static byte[] Workbook()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None })) { Count = 1 },
                new Borders(new Border()) { Count = 1 },
                new CellFormats(
                    new CellFormat(),
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true },
                    new CellFormat { FontId = 1, ApplyFont = true })
                { Count = 4 });

            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable(
                new SharedStringItem(new SheetText("재무상태표")),
                new SharedStringItem(
                    new Run(new RunProperties(new Bold()), new SheetText("매출액")),
                    new Run(new SheetText(" (단위: 백만원)") { Space = SpaceProcessingModeValues.Preserve })),
                new SharedStringItem(
                    new Run(new RunProperties(new Bold()), new SheetText("2024")),
                    new Run(new RunProperties(new Italic()), new SheetText(" 영업이익") { Space = SpaceProcessingModeValues.Preserve })),
                new SharedStringItem(new SheetText("English only")),
                new SharedStringItem(new SheetText("  자산\n부채") { Space = SpaceProcessingModeValues.Preserve }),
                new SharedStringItem(new SheetText("사용하지 않음")));

            var first = workbook.AddNewPart<WorksheetPart>();
            first.Worksheet = new Worksheet(
                new SheetData(
                    new Row(Shared("A1", 0, style: 3), Shared("B1", 1), Shared("C1", 2)) { RowIndex = 1 },
                    new Row(
                        Shared("A2", 0),
                        new Cell { CellReference = "B2", StyleIndex = 2, CellValue = new CellValue("1234.5") },
                        new Cell { CellReference = "C2", StyleIndex = 1, CellValue = new CellValue("45292") },
                        new Cell { CellReference = "D2", CellFormula = new CellFormula("SUM(B2:B3)"), CellValue = new CellValue("2469") },
                        new Cell { CellReference = "E2", DataType = CellValues.String, CellFormula = new CellFormula("\"합계\""), CellValue = new CellValue("합계") })
                    { RowIndex = 2 },
                    new Row(
                        Inline("A3", "비고: 감사 전 수치"),
                        new Cell { CellReference = "B3", StyleIndex = 2, CellValue = new CellValue("1234.5") },
                        new Cell { CellReference = "C3", DataType = CellValues.Boolean, CellValue = new CellValue("1") },
                        Shared("D3", 3),
                        Shared("E3", 4))
                    { RowIndex = 3 }),
                new MergeCells(new MergeCell { Reference = "A1:C1" }) { Count = 1 });

            var second = workbook.AddNewPart<WorksheetPart>();
            second.Worksheet = new Worksheet(
                new SheetData(
                    new Row(Shared("A1", 0), Inline("B1", "당기순이익")) { RowIndex = 1 },
                    new Row(new Cell { CellReference = "A2", StyleIndex = 2, CellFormula = new CellFormula("'재무상태표'!B2*2"), CellValue = new CellValue("2469") }) { RowIndex = 2 }),
                new MergeCells(new MergeCell { Reference = "A2:B2" }) { Count = 1 });

            workbook.Workbook = new Workbook(
                new Sheets(
                    new Sheet { Id = workbook.GetIdOfPart(first), SheetId = 1, Name = "재무상태표" },
                    new Sheet { Id = workbook.GetIdOfPart(second), SheetId = 2, Name = "손익계산서" }),
                new DefinedNames(new DefinedName("'재무상태표'!$B$2:$B$3") { Name = "매출" }));
        }

        return stream.ToArray();
    }

    private static Cell Shared(string reference, int index, uint? style = null) =>
        new() { CellReference = reference, DataType = CellValues.SharedString, StyleIndex = style is { } s ? new UInt32Value(s) : null, CellValue = new CellValue(index.ToString(System.Globalization.CultureInfo.InvariantCulture)) };

    private static Cell Inline(string reference, string text) =>
        new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new SheetText(text)) };
}
