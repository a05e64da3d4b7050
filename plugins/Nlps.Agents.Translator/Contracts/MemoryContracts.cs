namespace Nlps.Agents.Translator.Contracts;

/// <summary>An approved Korean–English pair.</summary>
public sealed record MemoryPair(long Id, string Source, string Target, DateTimeOffset ApprovedAt);

/// <summary>Imports approved pairs (tsv/json text in <c>content</c>, xlsx in <c>contentBase64</c>).</summary>
public sealed record MemoryImportRequest(string Format, string? Content = null, string? ContentBase64 = null);

/// <summary>What an import added.</summary>
public sealed record MemoryImportResponse(int Imported, int Total);

/// <summary>Stores a reviewed translation.</summary>
public sealed record ApproveRequest(string Source, string Translation);

/// <summary>The stored pair and the memory's size.</summary>
public sealed record ApproveResponse(MemoryPair Pair, int Total);

/// <summary>The <c>k</c> most similar approved pairs for a text.</summary>
public sealed record MemorySearchRequest(string Text, int K = 3);

/// <summary>One similar pair with its cosine similarity.</summary>
public sealed record MemoryHit(long Id, string Source, string Target, float Score);

/// <summary>The hits, most similar first.</summary>
public sealed record MemorySearchResponse(IReadOnlyList<MemoryHit> Hits);
