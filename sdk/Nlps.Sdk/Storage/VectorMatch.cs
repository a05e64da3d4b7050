namespace Nlps.Sdk.Storage;

/// <summary>One nearest-neighbour result. Since SDK 1.1.</summary>
/// <param name="Key">The stored vector's key.</param>
/// <param name="Group">The group stored with it, or null.</param>
/// <param name="Score">The dot product with the query (the cosine similarity when both are unit length).</param>
public sealed record VectorMatch(string Key, string? Group, float Score);
