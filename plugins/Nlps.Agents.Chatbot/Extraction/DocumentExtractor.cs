namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>Picks the reader for a file by its extension and returns the document's blocks.</summary>
internal static class DocumentExtractor
{
    public static readonly string[] SupportedExtensions = [".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".xlsx", ".pdf"];

    /// <exception cref="ExtractionException">The type is unsupported or the file cannot be read as that type.</exception>
    public static async Task<IReadOnlyList<DocumentBlock>> ExtractAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        var blocks = extension switch
        {
            ".txt" => PlainTextExtractor.Extract(Utf8.Decode(content, name)),
            ".md" or ".markdown" => MarkdownExtractor.Extract(Utf8.Decode(content, name)),
            ".html" or ".htm" => HtmlExtractor.Extract(Utf8.Decode(content, name)),
            ".docx" => DocxExtractor.Extract(content, name),
            ".xlsx" => XlsxExtractor.Extract(content, name),
            ".pdf" => await PdfExtractor.ExtractAsync(content, name, cancellationToken).ConfigureAwait(false),
            _ => throw new ExtractionException(
                $"{name}: unsupported file type '{(extension.Length == 0 ? "(none)" : extension)}'; supported: {string.Join(", ", SupportedExtensions)}"),
        };
        if (!blocks.Any(b => b.Kind != BlockKind.Heading))
        {
            throw new ExtractionException($"{name}: no text found in the document");
        }

        return blocks;
    }
}
