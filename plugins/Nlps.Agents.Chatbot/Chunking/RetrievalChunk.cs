namespace Nlps.Agents.Chatbot.Chunking;

/// <summary>A small window of a passage that is indexed for BM25 and embedded; it points to its parent passage.</summary>
/// <param name="Id">passage id + "." + chunk number.</param>
/// <param name="Text">The heading path followed by the window's text.</param>
internal sealed record RetrievalChunk(string Id, string Text);
