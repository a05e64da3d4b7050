namespace Nlps.Agents.Chatbot.Contracts;

/// <summary>Names a knowledge base.</summary>
public sealed record KnowledgeBaseRequest(string Kb);

/// <summary>A knowledge base and what it holds.</summary>
public sealed record KnowledgeBaseSummary(string Kb, int Documents, long Chunks, long Vectors);

/// <summary>Every knowledge base.</summary>
public sealed record KnowledgeBaseList(IReadOnlyList<KnowledgeBaseSummary> KnowledgeBases);

/// <summary>Whether something was deleted.</summary>
public sealed record DeleteResponse(bool Deleted);

/// <summary>Names one document of a knowledge base.</summary>
public sealed record DocumentRequest(string Kb, string DocumentId);
