using System.Text;
using Nlps.Agents.Text.Terms;

namespace Nlps.Agents.Translator.Tests.Terms;

public sealed class TermFileReaderTests
{
    private static IReadOnlyList<TermPair> Read(string text, TermFileFormat format) =>
        TermFileReader.Read(Encoding.UTF8.GetBytes(text), format, TermFileLimits.Glossary);

    [Fact]
    public void The_vendors_json_dictionary_reads_with_line_numbers()
    {
        var pairs = Read("\uFEFF{\n  \"금융실명제\": \"real-name financial transaction system\",\n  \"공시\": \"disclosure\"\n}", TermFileFormat.Json);
        Assert.Equal([("금융실명제", 2), ("공시", 3)], pairs.Select(p => (p.Source, p.Line)));
    }

    [Theory]
    [InlineData("{\n \"a\": \"b\",\n \"c\": 1\n}", 3, "must be a string")]
    [InlineData("{\n \"a\": \"b\",\n \"a\": \"d\"\n}", 3, "already appears on line 2")]
    [InlineData("{\n \"a\": \"b\"\n \"c\": \"d\"\n}", 3, "not valid JSON")]
    [InlineData("[\"a\"]", 1, "expected a JSON object")]
    [InlineData("{\n \"a\": \"\"\n}", 2, "has no target")]
    public void A_bad_json_file_names_its_first_bad_line(string json, int line, string message)
    {
        var error = Assert.Throws<TermFileException>(() => Read(json, TermFileFormat.Json));
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tsv_skips_header_comments_and_blank_lines_and_unquotes_cells()
    {
        var pairs = Read("# 용어집\n한국어\t영어\n\n공시\t\"disclosure \"\"notice\"\"\"\r\n자본시장법\tCapital Markets Act\textra\n", TermFileFormat.Tsv);
        Assert.Equal([("공시", "disclosure \"notice\"", 4), ("자본시장법", "Capital Markets Act", 5)], pairs.Select(p => (p.Source, p.Target, p.Line)));
    }

    [Fact]
    public void Tsv_that_is_not_utf8_is_refused_with_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes("공시\tdisclosure\n").Concat(new byte[] { 0xB0, 0xF8, 0xBD, 0xC3, 0x09, 0x61, 0x0A }).ToArray();
        var error = Assert.Throws<TermFileException>(() => TermFileReader.Read(bytes, TermFileFormat.Tsv, TermFileLimits.Glossary));
        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void An_xlsx_that_is_not_a_workbook_is_refused_as_a_whole()
    {
        var error = Assert.Throws<TermFileException>(() => TermFileReader.Read("PK\u0003\u0004 broken"u8.ToArray(), TermFileFormat.Xlsx, TermFileLimits.Glossary));
        Assert.Equal(0, error.Line);
        Assert.Contains("not an .xlsx workbook", error.Message, StringComparison.Ordinal);
    }
}
