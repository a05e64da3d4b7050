using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Nlps.Agents.Translator.Documents;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace Nlps.Agents.Translator.Tests.Documents;

public sealed class TranslatableDocumentTests
{
    private const long Limit = 64L * 1024 * 1024;

    [Fact]
    public void Markdown_translates_text_after_markup_and_table_cells_and_keeps_code_rules_and_english()
    {
        const string Source = "# 예금 안내\n\n- 예금자보호 한도는 1억 원입니다.\n\n| 구분 | 한도 |\n|---|---|\n| 정기예금 | 1억 원 |\n\n```\n코드 블록\n```\nEnglish only line";
        var document = TranslatableDocument.Read("안내.md", Encoding.UTF8.GetBytes(Source), Limit);

        Assert.Equal(["예금 안내", "예금자보호 한도는 1억 원입니다.", "구분", "한도", "정기예금", "1억 원"], document.Segments.Select(s => s.Text));
        var written = Encoding.UTF8.GetString(document.Write([.. document.Segments.Select(s => $"T{s.Index}")]));
        Assert.Equal("# T0\n\n- T1\n\n| T2 | T3 |\n|---|---|\n| T4 | T5 |\n\n```\n코드 블록\n```\nEnglish only line", written);
        var wrapped = Encoding.UTF8.GetString(document.Write(["T0", "T1", "two\nlines", "T3", "T4", "T5"]));
        Assert.Contains("| two lines | T3 |", wrapped, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_text_goes_back_together_with_the_separators_it_had()
    {
        const string Source = "첫 문장입니다. 둘째 문장입니다.\n\n셋째 문단입니다.";
        var document = TranslatableDocument.Read("notice.txt", Encoding.UTF8.GetBytes(Source), Limit);

        Assert.Equal(Source, Encoding.UTF8.GetString(document.Write([.. document.Segments.Select(s => s.Text)])));
        Assert.Equal(3, document.Segments.Count);
    }

    [Fact]
    public void Docx_paragraphs_with_korean_are_replaced_in_their_first_run_and_styles_tables_and_other_text_stay()
    {
        var document = TranslatableDocument.Read("report.docx", Docx(), Limit);

        Assert.Equal(["예금자보호", "정기예금"], document.Segments.Select(s => s.Text));
        using var stream = new MemoryStream(document.Write(["Deposit protection", "Time deposit"]));
        using var written = WordprocessingDocument.Open(stream, isEditable: false);
        var body = written.MainDocumentPart!.Document!.Body!;
        var paragraphs = body.Elements<Paragraph>().ToList();
        Assert.Equal("Deposit protection", paragraphs[0].InnerText);
        Assert.Equal("Heading1", paragraphs[0].ParagraphProperties!.ParagraphStyleId!.Val!.Value);
        Assert.NotNull(paragraphs[0].Descendants<Run>().First().RunProperties?.Bold);
        Assert.Equal("Total 1,000", paragraphs[1].InnerText);
        Assert.Equal("Time deposit", body.Elements<Table>().Single().Descendants<TableCell>().Single().InnerText);
    }

    [Theory]
    [InlineData("scan.pdf", "scan.pdf: unsupported file type '.pdf'; send .txt, .md, .docx or .xlsx")]
    [InlineData("broken.docx", "broken.docx: not a readable .docx")]
    public void Files_that_cannot_be_read_are_refused_naming_the_file(string name, string reason)
    {
        var error = Assert.Throws<DocumentFormatException>(() => TranslatableDocument.Read(name, Encoding.UTF8.GetBytes("zip 파일이 아님"), Limit));

        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_utf8_is_refused()
    {
        var error = Assert.Throws<DocumentFormatException>(() => TranslatableDocument.Read("legacy.txt", [0xB1, 0xDD, 0xB8, 0xAE], Limit));

        Assert.Equal("legacy.txt: the text is not UTF-8", error.Message);
    }

    // A heading split over two runs (the first bold), an English paragraph, and a one-cell table.
    private static byte[] Docx()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(
                new Paragraph(
                    new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }),
                    new Run(new RunProperties(new Bold()), new WordText("예금")),
                    new Run(new WordText("자보호"))),
                new Paragraph(new Run(new WordText("Total 1,000"))),
                new Table(new TableRow(new TableCell(new Paragraph(new Run(new WordText("정기예금"))))))));
        }

        return stream.ToArray();
    }
}
