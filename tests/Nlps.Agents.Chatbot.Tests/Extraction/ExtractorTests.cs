using System.Text;
using Nlps.Agents.Chatbot.Extraction;
using Nlps.Agents.Chatbot.Tests.Support;

namespace Nlps.Agents.Chatbot.Tests.Extraction;

public sealed class ExtractorTests
{
    private static Task<IReadOnlyList<DocumentBlock>> Extract(string name, byte[] content) =>
        DocumentExtractor.ExtractAsync(name, content, CancellationToken.None);

    [Fact]
    public async Task Markdown_gives_headings_with_levels_paragraphs_and_table_rows()
    {
        var blocks = await Extract("d.md", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", "deposit-protection.md")));

        Assert.Equal(new DocumentBlock(BlockKind.Heading, "예금자보호 제도 안내", 1), blocks[0]);
        Assert.Contains(new DocumentBlock(BlockKind.Heading, "보호 한도", 2), blocks);
        Assert.Contains(new DocumentBlock(BlockKind.TableRow, "정기예금 | 보호 | 1억 원"), blocks);
        Assert.Contains(blocks, b => b.Kind == BlockKind.Paragraph && b.Text.StartsWith("예금자보호 한도는", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Html_drops_scripts_and_styles_and_reads_table_rows_cell_by_cell()
    {
        var blocks = await Extract("l.html", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", "loan-guide.html")));

        Assert.Contains(new DocumentBlock(BlockKind.Heading, "금리 유형", 2), blocks);
        Assert.Contains(new DocumentBlock(BlockKind.TableRow, "고정금리 | 금리 상승기에 유리"), blocks);
        Assert.DoesNotContain(blocks, b => b.Text.Contains("색인되면", StringComparison.Ordinal) || b.Text.Contains("color", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Docx_heading_styles_become_headings_and_tables_become_rows()
    {
        var docx = OfficeFiles.Docx([("Title", "환전 안내"), ("Heading2", "수수료"), (null, "외화 현찰 환전 수수료는 1.75%입니다.")], [["통화", "우대율"], ["USD", "90%"]]);

        var blocks = await Extract("fx.docx", docx);

        Assert.Equal(
            [
                new DocumentBlock(BlockKind.Heading, "환전 안내", 1),
                new DocumentBlock(BlockKind.Heading, "수수료", 2),
                new DocumentBlock(BlockKind.Paragraph, "외화 현찰 환전 수수료는 1.75%입니다."),
                new DocumentBlock(BlockKind.TableRow, "통화 | 우대율"),
                new DocumentBlock(BlockKind.TableRow, "USD | 90%"),
            ],
            blocks);
    }

    [Fact]
    public async Task Xlsx_rows_are_written_as_header_value_pairs_under_the_sheet_name()
    {
        var xlsx = OfficeFiles.Xlsx("금리표", ["상품", "금리"], ["청년도약계좌", "연 4.5%"], ["주택청약", "연 2.8%"]);

        var blocks = await Extract("rates.xlsx", xlsx);

        Assert.Equal(
            [
                new DocumentBlock(BlockKind.Heading, "금리표", 1),
                new DocumentBlock(BlockKind.TableRow, "상품: 청년도약계좌 | 금리: 연 4.5%"),
                new DocumentBlock(BlockKind.TableRow, "상품: 주택청약 | 금리: 연 2.8%"),
            ],
            blocks);
    }

    [Theory]
    [InlineData("broken.docx", "not a readable .docx")]
    [InlineData("broken.xlsx", "not a readable .xlsx")]
    [InlineData("setup.exe", "unsupported file type '.exe'")]
    [InlineData("README", "unsupported file type '(none)'")]
    public async Task Unreadable_or_unsupported_files_fail_with_a_reason_naming_the_file(string name, string reason)
    {
        var error = await Assert.ThrowsAsync<ExtractionException>(() => Extract(name, Encoding.UTF8.GetBytes("이것은 오피스 파일이 아니다")));

        Assert.StartsWith(name + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_that_is_not_utf8_is_refused_rather_than_garbled()
    {
        // "금리" in EUC-KR.
        var error = await Assert.ThrowsAsync<ExtractionException>(() => Extract("legacy.txt", [0xB1, 0xDD, 0xB8, 0xAE]));

        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_with_no_text_is_refused()
    {
        var error = await Assert.ThrowsAsync<ExtractionException>(() => Extract("empty.md", Encoding.UTF8.GetBytes("# 제목만\n\n")));

        Assert.Contains("no text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pdf_is_read_through_pdftotext()
    {
        // tests/deps.d/chatbot.sh installs poppler-utils, as an appliance that ingests PDFs has it.
        var blocks = await Extract("policy.pdf", MinimalPdf("Deposit insurance covers up to 100 million won."));

        Assert.Contains(blocks, b => b.Text.Contains("100 million won", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pdf_without_pdftotext_is_refused_saying_what_to_install()
    {
        var error = await Assert.ThrowsAsync<ExtractionException>(() =>
            PdfExtractor.ExtractAsync(MinimalPdf("x"), "policy.pdf", CancellationToken.None, executable: "/nonexistent/pdftotext"));

        Assert.Contains("pdftotext, which is not installed", error.Message, StringComparison.Ordinal);
        Assert.Contains("poppler-utils", error.Message, StringComparison.Ordinal);
    }

    // A one-page PDF with one line of Helvetica text and a correct cross-reference table.
    private static byte[] MinimalPdf(string text)
    {
        var content = $"BT /F1 12 Tf 72 720 Td ({text}) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var builder = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(builder.Length);
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = builder.Length;
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(builder.ToString());
    }
}
