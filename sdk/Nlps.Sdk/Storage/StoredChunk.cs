namespace Nlps.Sdk.Storage;

/// <summary>A chunk as the store holds it, with the document it belongs to. Since SDK 1.1.</summary>
/// <param name="DocumentId">The document the chunk was stored under.</param>
/// <param name="Id">The chunk's id.</param>
/// <param name="Text">The chunk's text.</param>
/// <param name="Metadata">The metadata stored with it, or null.</param>
public sealed record StoredChunk(string DocumentId, string Id, string Text, string? Metadata);
