namespace Nlps.Sdk.Storage;

/// <summary>One searchable piece of a document. Since SDK 1.1.</summary>
/// <param name="Id">The chunk's id, unique within its collection (1-512 characters).</param>
/// <param name="Text">The chunk's text, indexed for full-text search.</param>
/// <param name="Metadata">Anything the agent wants back with the chunk (typically JSON); not indexed.</param>
public sealed record DocumentChunk(string Id, string Text, string? Metadata = null);
