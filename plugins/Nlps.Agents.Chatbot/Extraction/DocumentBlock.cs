namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>One structural unit of a document: a heading (with its level, 1 = top), a paragraph or list item, or a table row.</summary>
internal sealed record DocumentBlock(BlockKind Kind, string Text, int Level = 0);
