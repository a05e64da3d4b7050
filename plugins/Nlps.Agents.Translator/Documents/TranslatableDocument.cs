using Nlps.Agents.Text.Segmentation;

namespace Nlps.Agents.Translator.Documents;

/// <summary>
/// A document taken apart for translation: the Korean pieces of text as segments, and how to write the same document
/// back with each piece replaced by its translation while everything else (markup, styles, tables, numbers-only text)
/// stays as it was.
/// </summary>
internal abstract class TranslatableDocument
{
    /// <summary>The pieces to translate, in document order.</summary>
    public abstract IReadOnlyList<TextSegment> Segments { get; }

    /// <summary>The document with <paramref name="translations"/>[i] in place of segment i.</summary>
    public abstract byte[] Write(IReadOnlyList<string> translations);

    /// <summary>Reads a .txt, .md, .docx or .xlsx file; anything else is refused with a reason.</summary>
    /// <param name="name">The file name; its extension says the format.</param>
    /// <param name="content">The file.</param>
    /// <param name="maxUnpackedBytes">The most a .docx or .xlsx package may unpack to.</param>
    /// <exception cref="DocumentFormatException">The file is not what its name says, or not a supported type.</exception>
    /// <exception cref="DocumentTooLargeException">The package unpacks to more than <paramref name="maxUnpackedBytes"/>.</exception>
    public static TranslatableDocument Read(string name, byte[] content, long maxUnpackedBytes) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".txt" => new PlainTextDocument(Utf8(name, content)),
        ".md" or ".markdown" => new MarkdownDocument(Utf8(name, content)),
        ".docx" => DocxDocument.Open(name, content, maxUnpackedBytes),
        ".xlsx" => XlsxDocument.Open(name, content, maxUnpackedBytes),
        var other => throw new DocumentFormatException($"{name}: unsupported file type '{other}'; send .txt, .md, .docx or .xlsx"),
    };

    /// <summary>The pieces as segments numbered in order.</summary>
    protected static List<TextSegment> Numbered(IEnumerable<string> pieces) => pieces.Select((text, i) => new TextSegment(i, 0, text, string.Empty)).ToList();

    /// <summary>True when <paramref name="text"/> has Hangul to translate.</summary>
    public static bool HasKorean(string text) => text.Any(c => c is >= '\uAC00' and <= '\uD7A3' or >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F');

    private static string Utf8(string name, byte[] content)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new DocumentFormatException($"{name}: the text is not UTF-8");
        }
    }
}
