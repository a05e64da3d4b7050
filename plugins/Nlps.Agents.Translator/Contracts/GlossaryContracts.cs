namespace Nlps.Agents.Translator.Contracts;

/// <summary>A glossary term and its mandated English translation.</summary>
public sealed record GlossaryEntry(string Korean, string English, string? Note = null);

/// <summary>Imports a glossary file. Give <c>content</c> for json/tsv text, <c>contentBase64</c> for xlsx (or any format).</summary>
public sealed record GlossaryImportRequest(string Format, string? Content = null, string? ContentBase64 = null, string Mode = "merge");

/// <summary>What an import changed.</summary>
public sealed record GlossaryImportResponse(int Read, int Added, int Updated, int Unchanged, int Total);

/// <summary>A page of the glossary; <c>query</c> filters by a substring of either side.</summary>
public sealed record GlossaryListRequest(string? Query = null, int Offset = 0, int Limit = 100);

/// <summary>One page of entries, sorted by the Korean term.</summary>
public sealed record GlossaryListResponse(int Total, int Offset, IReadOnlyList<GlossaryEntry> Entries);

/// <summary>Names one term.</summary>
public sealed record GlossaryDeleteRequest(string Korean);

/// <summary>The result of a delete.</summary>
public sealed record GlossaryDeleteResponse(string Korean, int Total);
