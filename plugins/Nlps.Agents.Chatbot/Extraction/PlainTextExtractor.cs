namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>Plain text: paragraphs are separated by blank lines.</summary>
internal static class PlainTextExtractor
{
    public static List<DocumentBlock> Extract(string text)
    {
        var blocks = new List<DocumentBlock>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n"))
        {
            var clean = Whitespace.Collapse(paragraph);
            if (clean.Length > 0)
            {
                blocks.Add(new DocumentBlock(BlockKind.Paragraph, clean));
            }
        }

        return blocks;
    }
}
