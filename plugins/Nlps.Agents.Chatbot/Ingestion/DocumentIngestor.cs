using System.Security.Cryptography;
using Nlps.Agents.Chatbot.Chunking;
using Nlps.Agents.Chatbot.Contracts;
using Nlps.Agents.Chatbot.Extraction;
using Nlps.Agents.Chatbot.Support;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Storage;
using Microsoft.Extensions.AI;

namespace Nlps.Agents.Chatbot.Ingestion;

/// <summary>
/// Ingests one document: skip when its content hash is unchanged; otherwise extract, chunk, store passages and chunks
/// (each an atomic replace of the document), embed chunks as passages when an embedding model serves <c>embed</c>,
/// and write the document record last, so a crash at any point leaves a document that is simply ingested again.
/// </summary>
internal sealed class DocumentIngestor(IAgentContext context, ChatbotOptions options)
{
    private const int EmbeddingBatch = 32;

    public async Task<JobItem> IngestAsync(string kb, string documentId, byte[] content, IEmbeddingGenerator<string, Embedding<float>>? embedder, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var known = await context.Store.GetJsonAsync(KnowledgeBases.DocumentKey(kb, documentId), ChatbotJson.Default.DocumentRecord, cancellationToken).ConfigureAwait(false);
        if (known is not null && known.Sha256 == sha256 && (known.Embedded || embedder is null))
        {
            return new JobItem(documentId, JobItemStatus.Skipped, Passages: known.Passages, Chunks: known.Chunks);
        }

        if (content.LongLength > options.MaxDocumentBytes)
        {
            throw new ExtractionException($"{documentId}: {content.LongLength} bytes is over the limit of {options.MaxDocumentBytes} (maxDocumentBytes)");
        }

        var blocks = await DocumentExtractor.ExtractAsync(documentId, content, cancellationToken).ConfigureAwait(false);
        var passages = new StructureChunker(options.ChunkTokens, options.OverlapTokens, options.PassageTokens).Chunk(documentId, blocks);
        var chunks = passages.SelectMany(p => p.Chunks.Select(c => (Passage: p, Chunk: c))).ToList();

        await context.Documents.ReplaceDocumentAsync(
            KnowledgeBases.Passages(kb),
            documentId,
            passages.Select(p => new DocumentChunk(p.Id, p.Text, p.Heading)).ToList(),
            cancellationToken).ConfigureAwait(false);
        await context.Documents.ReplaceDocumentAsync(
            KnowledgeBases.Chunks(kb),
            documentId,
            chunks.Select(c => new DocumentChunk(c.Chunk.Id, c.Chunk.Text, System.Text.Json.JsonSerializer.Serialize(new ChunkMetadata(c.Passage.Id, c.Passage.Heading), ChatbotJson.Default.ChunkMetadata))).ToList(),
            cancellationToken).ConfigureAwait(false);

        if (embedder is not null)
        {
            await EmbedAsync(kb, documentId, chunks.Select(c => c.Chunk).ToList(), embedder, cancellationToken).ConfigureAwait(false);
        }

        await context.Store.SetJsonAsync(
            KnowledgeBases.DocumentKey(kb, documentId),
            new DocumentRecord(documentId, sha256, passages.Count, chunks.Count, embedder is not null),
            ChatbotJson.Default.DocumentRecord,
            cancellationToken).ConfigureAwait(false);
        return new JobItem(documentId, JobItemStatus.Ingested, Passages: passages.Count, Chunks: chunks.Count);
    }

    private async Task EmbedAsync(string kb, string documentId, List<RetrievalChunk> chunks, IEmbeddingGenerator<string, Embedding<float>> embedder, CancellationToken cancellationToken)
    {
        var collection = KnowledgeBases.Vectors(kb);
        var records = new List<VectorRecord>(chunks.Count);
        for (var start = 0; start < chunks.Count; start += EmbeddingBatch)
        {
            var batch = chunks.Skip(start).Take(EmbeddingBatch).ToList();
            var embeddings = await embedder.GenerateAsync(batch.Select(c => options.PassagePrefix + c.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Count)
            {
                throw new InvalidOperationException($"the embedding model returned {embeddings.Count} vectors for {batch.Count} passages");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                records.Add(new VectorRecord(batch[i].Id, VectorMath.Normalized(embeddings[i].Vector), documentId));
            }
        }

        if (records.Count == 0)
        {
            return;
        }

        await context.Vectors.EnsureCollectionAsync(collection, records[0].Vector.Length, VectorQuantization.None, cancellationToken).ConfigureAwait(false);
        await context.Vectors.DeleteGroupAsync(collection, documentId, cancellationToken).ConfigureAwait(false);
        await context.Vectors.UpsertAsync(collection, records, cancellationToken).ConfigureAwait(false);
    }
}
