namespace Nlps.Agents.Chatbot.Contracts;

/// <summary>A knowledge base as kept in the agent's key/value store.</summary>
public sealed record KnowledgeBaseRecord(string Kb);

/// <summary>What is known of an ingested document: the SHA-256 of the bytes it was ingested from.</summary>
public sealed record DocumentRecord(string DocumentId, string Sha256, int Passages, int Chunks, bool Embedded);

/// <summary>What a retrieval chunk carries as metadata: its parent passage.</summary>
public sealed record ChunkMetadata(string Passage, string Heading);
