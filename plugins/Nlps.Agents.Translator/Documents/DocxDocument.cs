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
internal sealed class DocxDocument(byte[] original, List<TextSegment> segments) : TranslatableDocument
{
    public override IReadOnlyList<TextSegment> Segments => segments;

    public static DocxDocument Open(string name, byte[] content, long maxUnpackedBytes) =>
        OfficePackage.Read(name, content, maxUnpackedBytes, ".docx", stream =>
        {
            using var document = WordprocessingDocument.Open(stream, isEditable: false);
            return new DocxDocument(content, Numbered(Paragraphs(document).Select(PlainText).Where(HasKorean)));
        });

    public override byte[] Write(IReadOnlyList<string> translations) =>
        OfficePackage.Edit(original, stream =>
        {
            using var document = WordprocessingDocument.Open(stream, isEditable: true);
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
        });

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
