namespace Nlps.Agents.Chatbot.Chunking;

/// <summary>A parent passage: a section (or part of one) under its headings; what answers are built from.</summary>
/// <param name="Id">document id + "#" + passage number.</param>
/// <param name="Heading">The heading path, " > " separated (empty before the first heading).</param>
/// <param name="Text">The passage's text, blocks separated by newlines.</param>
/// <param name="Chunks">Its retrieval chunks.</param>
internal sealed record Passage(string Id, string Heading, string Text, IReadOnlyList<RetrievalChunk> Chunks);
