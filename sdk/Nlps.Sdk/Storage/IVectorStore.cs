namespace Nlps.Sdk.Storage;

/// <summary>
/// An agent's private vector store in the appliance database: named collections of fixed-dimension vectors,
/// searched exactly (every vector scored, SIMD dot products, top-k). Writes are durable when the call returns.
/// Since SDK 1.1.
/// </summary>
public interface IVectorStore
{
    /// <summary>Creates <paramref name="collection"/> when it does not exist yet.</summary>
    /// <param name="collection">The collection name (1-512 characters).</param>
    /// <param name="dimensions">The length of every vector in it (1-65536).</param>
    /// <param name="quantization">How vectors are kept.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The collection exists with other dimensions or quantization.</exception>
    ValueTask EnsureCollectionAsync(string collection, int dimensions, VectorQuantization quantization = VectorQuantization.None, CancellationToken cancellationToken = default);

    /// <summary>The agent's vector collections, in ordinal order.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a collection and its vectors; true when it existed.</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<bool> DeleteCollectionAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>Stores the vectors (replacing those with the same keys) in one transaction.</summary>
    /// <param name="collection">An existing collection.</param>
    /// <param name="records">The vectors.</param>
    /// <param name="cancellationToken">Cancels the call (nothing is written then).</param>
    /// <exception cref="KeyNotFoundException">The collection does not exist.</exception>
    /// <exception cref="ArgumentException">A vector has the wrong length or a non-finite value, or a key is invalid.</exception>
    ValueTask UpsertAsync(string collection, IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Removes every vector of <paramref name="group"/>; returns how many there were.</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<int> DeleteGroupAsync(string collection, string group, CancellationToken cancellationToken = default);

    /// <summary>How many vectors a collection holds (0 when it does not exist).</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<long> CountAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="limit"/> vectors with the largest dot product with <paramref name="query"/>, best first.</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="query">The query vector (the collection's dimensions).</param>
    /// <param name="limit">The most matches to return (1-1000).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="KeyNotFoundException">The collection does not exist.</exception>
    ValueTask<IReadOnlyList<VectorMatch>> SearchAsync(string collection, ReadOnlyMemory<float> query, int limit = 10, CancellationToken cancellationToken = default);
}
