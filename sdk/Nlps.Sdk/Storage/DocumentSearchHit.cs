namespace Nlps.Sdk.Storage;

/// <summary>One full-text match. Since SDK 1.1.</summary>
/// <param name="Chunk">The matching chunk.</param>
/// <param name="Score">The BM25 relevance (SQLite's <c>bm25()</c> negated, so higher is better; comparable only within one search).</param>
public sealed record DocumentSearchHit(StoredChunk Chunk, double Score);
