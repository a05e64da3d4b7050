using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Nlps.Agents.Text.Segmentation;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace Nlps.Agents.Translator.Documents;

/// <summary>
/// A .docx: every paragraph with Korean (body, tables, headers and footers) is one segment; its translation goes into
/// the paragraph's first text run and the other runs' text is cleared, so paragraph styles, the first run's
/// formatting, tables and everything else in the package stay as they were.
/// </summary>
internal sealed class DocxDocument : TranslatableDocument
{
    private readonly byte[] original;
    private readonly List<TextSegment> segments;

    private DocxDocument(byte[] original, List<TextSegment> segments)
    {
        this.original = original;
        this.segments = segments;
    }

    public override IReadOnlyList<TextSegment> Segments => segments;

    public static DocxDocument Open(string name, byte[] content, long maxUnpackedBytes)
    {
        OfficePackage.CheckUnpackedSize(name, content, maxUnpackedBytes, ".docx");
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = WordprocessingDocument.Open(stream, isEditable: false);
            var segments = Paragraphs(document).Select(PlainText).Where(HasKorean).Select((text, i) => new TextSegment(i, 0, text, string.Empty)).ToList();
            return new DocxDocument(content, segments);
        }
        catch (Exception ex) when (OfficePackage.IsUnreadable(ex))
        {
            throw new DocumentFormatException($"{name}: not a readable .docx ({ex.Message})");
        }
    }

    public override byte[] Write(IReadOnlyList<string> translations)
    {
        using var stream = new MemoryStream();
        stream.Write(original);
        stream.Position = 0;
        using (var document = WordprocessingDocument.Open(stream, isEditable: true))
        {
            var next = 0;
            foreach (var paragraph in Paragraphs(document).Where(p => HasKorean(PlainText(p))).ToList())
            {
                var texts = paragraph.Descendants<WordText>().ToList();
                texts[0].Text = translations[next++];
                texts[0].Space = DocumentFormat.OpenXml.SpaceProcessingModeValues.Preserve;
                foreach (var rest in texts.Skip(1))
                {
                    rest.Text = string.Empty;
                }
            }
        }

        return stream.ToArray();
    }

    private static IEnumerable<Paragraph> Paragraphs(WordprocessingDocument document)
    {
        var main = document.MainDocumentPart ?? throw new InvalidDataException("the package has no main document part");
        var roots = new List<DocumentFormat.OpenXml.OpenXmlElement?> { main.Document?.Body };
        roots.AddRange(main.HeaderParts.Select(h => h.Header));
        roots.AddRange(main.FooterParts.Select(f => f.Footer));
        return roots.Where(r => r is not null).SelectMany(r => r!.Descendants<Paragraph>());
    }

    private static string PlainText(Paragraph paragraph) => string.Concat(paragraph.Descendants<WordText>().Select(t => t.Text)).Trim();
}
