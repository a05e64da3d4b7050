using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Nlps.Agents.Text.Matching;

namespace Nlps.Agents.Text.Terms;

/// <summary>
/// Reads a whole term file (JSON, TSV or XLSX) into pairs, or throws <see cref="TermFileException"/> naming the first
/// bad line: callers import all of it or nothing. Rows with both cells empty are skipped; a row with one empty cell,
/// a cell longer than allowed, or (when asked) a source that repeats an earlier one is an error.
/// </summary>
public static class TermFileReader
{
    private static readonly HashSet<string> HeaderWords = new(StringComparer.Ordinal)
    {
        "korean", "ko", "source", "term", "src", "한국어", "한글", "용어", "원문", "국문",
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads <paramref name="content"/> in <paramref name="format"/>.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="format">Its format.</param>
    /// <param name="limits">Row and cell limits, and whether repeated sources are errors.</param>
    public static IReadOnlyList<TermPair> Read(ReadOnlyMemory<byte> content, TermFileFormat format, TermFileLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var rows = format switch
        {
            TermFileFormat.Json => ReadJson(StripBom(content.Span)),
            TermFileFormat.Tsv => ReadTsv(Decode(StripBom(content.Span))),
            TermFileFormat.Xlsx => ReadXlsx(content),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown term file format"),
        };
        return Validate(rows, limits);
    }

    private static List<TermPair> Validate(IEnumerable<(string Source, string Target, int Line)> rows, TermFileLimits limits)
    {
        var pairs = new List<TermPair>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (rawSource, rawTarget, line) in rows)
        {
            var source = TextFolding.Nfc(rawSource.Trim());
            var target = TextFolding.Nfc(rawTarget.Trim());
            if (source.Length == 0 && target.Length == 0)
            {
                continue;
            }

            if (source.Length == 0 || target.Length == 0)
            {
                throw new TermFileException(line, source.Length == 0 ? $"the source is empty (target \"{Shorten(target)}\")" : $"\"{Shorten(source)}\" has no target");
            }

            if (source.Length > limits.MaxSourceLength || target.Length > limits.MaxTargetLength)
            {
                throw new TermFileException(line, $"a cell is longer than allowed ({limits.MaxSourceLength} characters for the source, {limits.MaxTargetLength} for the target)");
            }

            if (limits.RejectDuplicateSources && !seen.TryAdd(TextFolding.FoldTerm(source), line))
            {
                throw new TermFileException(line, $"\"{Shorten(source)}\" already appears on line {seen[TextFolding.FoldTerm(source)]}");
            }

            if (pairs.Count == limits.MaxRows)
            {
                throw new TermFileException(line, $"the file has more than {limits.MaxRows} entries");
            }

            pairs.Add(new TermPair(source, target, line));
        }

        return pairs;
    }

    private static IEnumerable<(string, string, int)> ReadJson(ReadOnlySpan<byte> json)
    {
        var rows = new List<(string, string, int)>();
        var lines = new LineCounter();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new TermFileException(1, "expected a JSON object like {\"한국어 용어\": \"English term\"}");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var line = lines.LineAt(json, reader.TokenStartIndex);
                var source = reader.GetString() ?? string.Empty;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new TermFileException(line, $"the value of \"{Shorten(source)}\" must be a string, not {reader.TokenType}");
                }

                rows.Add((source, reader.GetString() ?? string.Empty, line));
            }

            if (reader.Read())
            {
                throw new TermFileException(lines.LineAt(json, reader.TokenStartIndex), "unexpected content after the JSON object");
            }
        }
        catch (JsonException ex)
        {
            throw new TermFileException((int)(ex.LineNumber ?? 0) + 1, "not valid JSON: " + ex.Message);
        }

        return rows;
    }

    private static List<(string, string, int)> ReadTsv(string text)
    {
        var rows = new List<(string, string, int)>();
        var lineNumber = 0;
        var sawContent = false;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split('\t');
            if (!sawContent && IsHeader(cells[0]))
            {
                sawContent = true;
                continue;
            }

            sawContent = true;
            if (cells.Length < 2)
            {
                throw new TermFileException(lineNumber, "expected two tab-separated columns (source, target)");
            }

            rows.Add((Unquote(cells[0], lineNumber), Unquote(cells[1], lineNumber), lineNumber));
        }

        return rows;
    }

    private static List<(string, string, int)> ReadXlsx(ReadOnlyMemory<byte> content)
    {
        SpreadsheetDocument document;
        var stream = new MemoryStream(content.ToArray(), writable: false);
        try
        {
            document = SpreadsheetDocument.Open(stream, isEditable: false);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or FileFormatException or InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            stream.Dispose();
            throw new TermFileException(0, "the file is not an .xlsx workbook: " + ex.Message);
        }

        using (stream)
        using (document)
        {
            var workbook = document.WorkbookPart ?? throw new TermFileException(0, "the workbook has no workbook part");
            var sheet = workbook.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new TermFileException(0, "the workbook has no worksheet");
            if (sheet.Id?.Value is not { } partId || workbook.GetPartById(partId) is not WorksheetPart worksheet)
            {
                throw new TermFileException(0, "the first sheet is not a worksheet");
            }

            var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(item => item.InnerText).ToArray() ?? [];
            var rows = new List<(string, string, int)>();
            var rowNumber = 0;
            var sawContent = false;
            foreach (var row in worksheet.Worksheet.Descendants<Row>())
            {
                rowNumber = (int?)row.RowIndex?.Value ?? rowNumber + 1;
                string? a = null, b = null;
                var column = 0;
                foreach (var cell in row.Elements<Cell>())
                {
                    column = cell.CellReference?.Value is { } reference ? ColumnOf(reference) : column + 1;
                    if (column == 1)
                    {
                        a = CellText(cell, shared, rowNumber);
                    }
                    else if (column == 2)
                    {
                        b = CellText(cell, shared, rowNumber);
                    }
                }

                if (!sawContent && a is not null && IsHeader(a))
                {
                    sawContent = true;
                    continue;
                }

                sawContent |= a is not null || b is not null;
                rows.Add((a ?? string.Empty, b ?? string.Empty, rowNumber));
            }

            return rows;
        }
    }

    private static string CellText(Cell cell, string[] shared, int row)
    {
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(cell.CellValue?.Text, out var index) && index >= 0 && index < shared.Length
                ? shared[index]
                : throw new TermFileException(row, "a cell refers to a shared string that does not exist");
        }

        return cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText ?? string.Empty : cell.CellValue?.Text ?? string.Empty;
    }

    private static int ColumnOf(string reference)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            column = (column * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return column;
    }

    private static bool IsHeader(string cell) => HeaderWords.Contains(cell.Trim().ToLowerInvariant());

    private static string Unquote(string cell, int line)
    {
        var trimmed = cell.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"')
        {
            return trimmed[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        return trimmed.StartsWith('"') ? throw new TermFileException(line, "a quoted cell is not closed on its line") : trimmed;
    }

    private static ReadOnlySpan<byte> StripBom(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var line = 1 + bytes[..Math.Max(0, ex.Index)].Count((byte)'\n');
            throw new TermFileException(line, "the file is not UTF-8 text");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    // Counts newlines incrementally, so finding the line of each token is linear in the file size overall.
    private sealed class LineCounter
    {
        private long position;
        private int line = 1;

        public int LineAt(ReadOnlySpan<byte> text, long index)
        {
            if (index > position)
            {
                line += text[(int)position..(int)index].Count((byte)'\n');
                position = index;
            }

            return line;
        }
    }
}
