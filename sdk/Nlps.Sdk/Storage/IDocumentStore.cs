namespace Nlps.Sdk.Storage;

/// <summary>
/// An agent's private full-text store in the appliance database: named collections of documents, each document a
/// list of text chunks, searched with BM25 (SQLite FTS5). Writes are durable and atomic when the call returns.
/// Collection and document ids are 1-512 characters of Unicode text without NUL. Since SDK 1.1.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Creates <paramref name="collection"/> when it does not exist yet.</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="indexing">How text becomes search terms; fixed at creation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The collection exists with another <paramref name="indexing"/>.</exception>
    ValueTask EnsureCollectionAsync(string collection, TextIndexing indexing = TextIndexing.CharacterBigrams, CancellationToken cancellationToken = default);

    /// <summary>The agent's collections, in ordinal order.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a collection and every chunk in it; true when it existed.</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="cancellationToken">Cancels the call (nothing is removed then).</param>
    ValueTask<bool> DeleteCollectionAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="chunks"/> as the whole content of <paramref name="documentId"/>, replacing what the
    /// document had before, in one transaction.
    /// </summary>
    /// <param name="collection">An existing collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="chunks">The chunks; their ids must be unique in the collection.</param>
    /// <param name="cancellationToken">Cancels the call (nothing is written then).</param>
    /// <exception cref="KeyNotFoundException">The collection does not exist.</exception>
    /// <exception cref="ArgumentException">An id is invalid or a chunk id is used twice or by another document.</exception>
    ValueTask ReplaceDocumentAsync(string collection, string documentId, IReadOnlyList<DocumentChunk> chunks, CancellationToken cancellationToken = default);

    /// <summary>Removes a document's chunks; true when it had any.</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<bool> DeleteDocumentAsync(string collection, string documentId, CancellationToken cancellationToken = default);

    /// <summary>The chunks with the given ids that exist, in the order asked.</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="chunkIds">The chunk ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyList<StoredChunk>> GetChunksAsync(string collection, IReadOnlyList<string> chunkIds, CancellationToken cancellationToken = default);

    /// <summary>A document's chunks in the order they were stored (empty when the document does not exist).</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyList<StoredChunk>> GetDocumentAsync(string collection, string documentId, CancellationToken cancellationToken = default);

    /// <summary>How many chunks a collection holds (0 when it does not exist).</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<long> CountChunksAsync(string collection, CancellationToken cancellationToken = default);

    /// <summary>
    /// The best BM25 matches for <paramref name="query"/>, best first. The query is plain text, analysed like the
    /// collection's documents; a chunk matches when it shares any term (no query syntax to escape).
    /// </summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="query">The query text.</param>
    /// <param name="limit">The most hits to return (1-1000).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="KeyNotFoundException">The collection does not exist.</exception>
    ValueTask<IReadOnlyList<DocumentSearchHit>> SearchAsync(string collection, string query, int limit = 10, CancellationToken cancellationToken = default);
}
