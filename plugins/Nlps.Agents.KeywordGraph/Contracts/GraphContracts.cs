namespace Nlps.Agents.KeywordGraph.Contracts;

/// <summary>One document to ingest; an id seen before replaces that document's contribution.</summary>
public sealed record IngestDocument(string Id, string Text);

/// <summary>Documents to add to the graph; <c>useModel</c> extracts typed relations with the chat model.</summary>
public sealed record IngestRequest(IReadOnlyList<IngestDocument> Documents, bool UseModel = false);

/// <summary>What the graph holds after the ingest.</summary>
public sealed record IngestResponse(int Documents, int Passages, int Nodes, int Edges, int Relations, int RejectedRelations);

/// <summary>A typed relation (subject, relation, object) found by the chat model under the configured guidelines.</summary>
public sealed record KeywordRelation(string Subject, string Relation, string Object);

/// <summary>One stored document: its passages' keyword sets and relations.</summary>
public sealed record StoredDocument(string Id, IReadOnlyList<IReadOnlyList<string>> Passages, IReadOnlyList<KeywordRelation> Relations);

/// <summary>Asks for a keyword's neighbours.</summary>
public sealed record NeighboursRequest(string Keyword, int Limit = 20);

/// <summary>A neighbour: how many passages the two share, and normalised PMI (−1..1; higher is a stronger association).</summary>
public sealed record Neighbour(string Keyword, int Count, double Npmi);

/// <summary>A keyword with its document frequency (passages it appears in) and its neighbours, strongest first.</summary>
public sealed record NeighboursResponse(string Keyword, int Frequency, IReadOnlyList<Neighbour> Neighbours, IReadOnlyList<KeywordRelation> Relations);

/// <summary>Asks for the shortest path between two keywords, at most <c>maxHops</c> edges.</summary>
public sealed record PathRequest(string From, string To, int MaxHops = 6);

/// <summary>The path (empty when there is none within the limit).</summary>
public sealed record PathResponse(bool Found, IReadOnlyList<string> Path);

/// <summary>A free-text query to expand.</summary>
public sealed record RelatedRequest(string Text, int Limit = 10);

/// <summary>The query's keywords found in the graph, and the keywords most related to them.</summary>
public sealed record RelatedResponse(IReadOnlyList<string> Seeds, IReadOnlyList<RelatedKeyword> Related);

/// <summary>A related keyword and its score (sum of positive NPMI to the seeds).</summary>
public sealed record RelatedKeyword(string Keyword, double Score);

/// <summary>Asks for the subgraph within <c>depth</c> hops of a keyword, at most <c>limit</c> nodes.</summary>
public sealed record ExportRequest(string Keyword, int Depth = 1, int Limit = 50);

/// <summary>A node of an exported subgraph.</summary>
public sealed record GraphNode(string Keyword, int Frequency);

/// <summary>An edge of an exported subgraph.</summary>
public sealed record GraphEdge(string Source, string Target, int Count, double Npmi);

/// <summary>The subgraph as JSON, and the same as GraphML text.</summary>
public sealed record ExportResponse(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, string GraphMl);
