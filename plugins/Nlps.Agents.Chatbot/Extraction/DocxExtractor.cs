using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>Word documents through Open XML: paragraphs (Heading1-9 and Title styles become headings) and table rows.</summary>
internal static class DocxExtractor
{
    public static List<DocumentBlock> Extract(byte[] content, string name)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = WordprocessingDocument.Open(stream, isEditable: false);
            var body = document.MainDocumentPart?.Document?.Body
                ?? throw new ExtractionException($"{name}: the .docx has no document body");
            var blocks = new List<DocumentBlock>();
            foreach (var element in body.ChildElements)
            {
                switch (element)
                {
                    case Paragraph paragraph:
                        AddParagraph(blocks, paragraph);
                        break;
                    case Table table:
                        foreach (var row in table.Elements<TableRow>())
                        {
                            var cells = row.Elements<TableCell>().Select(c => Whitespace.Collapse(c.InnerText));
                            var text = string.Join(" | ", cells);
                            if (text.Replace("|", string.Empty, StringComparison.Ordinal).Trim().Length > 0)
                            {
                                blocks.Add(new DocumentBlock(BlockKind.TableRow, text));
                            }
                        }

                        break;
                }
            }

            return blocks;
        }
        catch (Exception ex) when (ex is not ExtractionException and (IOException or InvalidDataException or OpenXmlPackageException or System.Xml.XmlException or ArgumentException or InvalidOperationException or FormatException))
        {
            throw new ExtractionException($"{name}: not a readable .docx file ({ex.Message})", ex);
        }
    }

    private static void AddParagraph(List<DocumentBlock> blocks, Paragraph paragraph)
    {
        var text = Whitespace.Collapse(paragraph.InnerText);
        if (text.Length == 0)
        {
            return;
        }

        var style = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value ?? string.Empty;
        if (style.Equals("Title", StringComparison.OrdinalIgnoreCase))
        {
            blocks.Add(new DocumentBlock(BlockKind.Heading, text, 1));
        }
        else if (style.StartsWith("Heading", StringComparison.OrdinalIgnoreCase) && int.TryParse(style.AsSpan("Heading".Length), out var level))
        {
            blocks.Add(new DocumentBlock(BlockKind.Heading, text, Math.Clamp(level, 1, 9)));
        }
        else
        {
            blocks.Add(new DocumentBlock(BlockKind.Paragraph, text));
        }
    }
}
