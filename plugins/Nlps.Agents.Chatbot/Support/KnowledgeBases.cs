using System.Text.RegularExpressions;
using Nlps.Agents.Chatbot.Contracts;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.Chatbot.Support;

/// <summary>
/// Where a knowledge base lives in the agent's stores: its record and document records in the key/value store,
/// retrieval chunks and parent passages in two document collections, chunk vectors in one vector collection.
/// </summary>
internal sealed partial class KnowledgeBases(IAgentContext context)
{
    public static string Chunks(string kb) => $"{kb}/chunks";

    public static string Passages(string kb) => $"{kb}/passages";

    public static string Vectors(string kb) => $"{kb}/vectors";

    public static string DocumentKey(string kb, string documentId) => $"doc/{kb}/{documentId}";

    public static string DocumentPrefix(string kb) => $"doc/{kb}/";

    public static void ValidateName(string? kb)
    {
        if (kb is null || !Name().IsMatch(kb))
        {
            throw new AgentOperationException("invalid_kb_name", $"a knowledge base name is 1-64 letters, digits, '-' or '_'; got '{kb}'");
        }
    }

    public async Task<bool> ExistsAsync(string kb, CancellationToken cancellationToken) =>
        await context.Store.GetAsync($"kb/{kb}", cancellationToken).ConfigureAwait(false) is not null;

    public async Task RequireAsync(string kb, CancellationToken cancellationToken)
    {
        ValidateName(kb);
        if (!await ExistsAsync(kb, cancellationToken).ConfigureAwait(false))
        {
            throw new AgentOperationException("kb_not_found", $"knowledge base '{kb}' does not exist", 404);
        }
    }

    public async Task CreateAsync(string kb, CancellationToken cancellationToken)
    {
        ValidateName(kb);
        await context.Documents.EnsureCollectionAsync(Chunks(kb), TextIndexing.CharacterBigrams, cancellationToken).ConfigureAwait(false);
        await context.Documents.EnsureCollectionAsync(Passages(kb), TextIndexing.CharacterBigrams, cancellationToken).ConfigureAwait(false);
        await context.Store.SetJsonAsync($"kb/{kb}", new KnowledgeBaseRecord(kb), ChatbotJson.Default.KnowledgeBaseRecord, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var key in context.Store.ListKeysAsync("kb/", cancellationToken).ConfigureAwait(false))
        {
            names.Add(key["kb/".Length..]);
        }

        return names;
    }

    public async Task<KnowledgeBaseSummary> SummarizeAsync(string kb, CancellationToken cancellationToken)
    {
        var documents = 0;
        await foreach (var _ in context.Store.ListKeysAsync(DocumentPrefix(kb), cancellationToken).ConfigureAwait(false))
        {
            documents++;
        }

        var chunks = await context.Documents.CountChunksAsync(Chunks(kb), cancellationToken).ConfigureAwait(false);
        var vectors = await context.Vectors.CountAsync(Vectors(kb), cancellationToken).ConfigureAwait(false);
        return new KnowledgeBaseSummary(kb, documents, chunks, vectors);
    }

    public async Task<bool> DeleteAsync(string kb, CancellationToken cancellationToken)
    {
        ValidateName(kb);
        var existed = await context.Store.DeleteAsync($"kb/{kb}", cancellationToken).ConfigureAwait(false);
        await context.Documents.DeleteCollectionAsync(Chunks(kb), cancellationToken).ConfigureAwait(false);
        await context.Documents.DeleteCollectionAsync(Passages(kb), cancellationToken).ConfigureAwait(false);
        await context.Vectors.DeleteCollectionAsync(Vectors(kb), cancellationToken).ConfigureAwait(false);
        var keys = new List<string>();
        await foreach (var key in context.Store.ListKeysAsync(DocumentPrefix(kb), cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        foreach (var key in keys)
        {
            await context.Store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return existed;
    }

    public async Task<bool> DeleteDocumentAsync(string kb, string documentId, CancellationToken cancellationToken)
    {
        var existed = await context.Store.DeleteAsync(DocumentKey(kb, documentId), cancellationToken).ConfigureAwait(false);
        existed |= await context.Documents.DeleteDocumentAsync(Chunks(kb), documentId, cancellationToken).ConfigureAwait(false);
        await context.Documents.DeleteDocumentAsync(Passages(kb), documentId, cancellationToken).ConfigureAwait(false);
        if ((await context.Vectors.ListCollectionsAsync(cancellationToken).ConfigureAwait(false)).Contains(Vectors(kb)))
        {
            await context.Vectors.DeleteGroupAsync(Vectors(kb), documentId, cancellationToken).ConfigureAwait(false);
        }

        return existed;
    }

    [GeneratedRegex(@"^[\p{L}\p{N}_-]{1,64}$")]
    private static partial Regex Name();
}
