namespace Nlps.Sdk.Storage;

/// <summary>A vector to store. Since SDK 1.1.</summary>
/// <param name="Key">The vector's key, unique within its collection (1-512 characters).</param>
/// <param name="Vector">The vector; its length must be the collection's dimensions.</param>
/// <param name="Group">An optional group (e.g. the document id) so that a group's vectors can be removed together.</param>
public sealed record VectorRecord(string Key, ReadOnlyMemory<float> Vector, string? Group = null);
