namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>What a block of a document is, for structure-aware chunking.</summary>
internal enum BlockKind
{
    Heading,
    Paragraph,
    TableRow,
}
