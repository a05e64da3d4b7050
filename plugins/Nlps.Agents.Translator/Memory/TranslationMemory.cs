using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Nlps.Agents.Text.Terms;
using Nlps.Agents.Translator.Contracts;
using Nlps.Agents.Text.Storage;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.Translator.Memory;

/// <summary>
/// Approved Korean–English pairs. Each import or approval is one batch in the store (<c>memory/batch/{seq}</c>, a
/// <see cref="SnapshotStore{T}"/> whose pointer doubles as the commit mark, so a half-written import is discarded).
/// Embeddings of the sources are made with the embed model on first use and kept in the agent's vector store, one
/// collection per model, so a restart embeds only the pairs approved since; similar pairs are the collection's exact
/// top-k by cosine (unit vectors, dot products in the store).
/// </summary>
internal sealed class TranslationMemory(IKeyValueStore store, IVectorStore vectors, TimeProvider timeProvider)
{
    private const string Prefix = "memory/batch/";
    private const int EmbedBatch = 64;

    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly SemaphoreSlim embedGate = new(1, 1);
    private List<MemoryPair> pairs = [];
    private long lastBatch;
    public int Count => Volatile.Read(ref pairs).Count;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var batches = new SortedSet<long>();
        await foreach (var key in store.ListKeysAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            var end = key.IndexOf('/', Prefix.Length);
            if (end > 0 && long.TryParse(key.AsSpan(Prefix.Length, end - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                batches.Add(seq);
            }
        }

        var loaded = new List<MemoryPair>();
        foreach (var seq in batches)
        {
            var (items, _) = await Batch(seq).LoadAsync(cancellationToken).ConfigureAwait(false);
            loaded.AddRange(items);
            lastBatch = seq;
        }

        Volatile.Write(ref pairs, loaded);
    }

    public async Task<IReadOnlyList<MemoryPair>> AddAsync(IReadOnlyList<TermPair> approved, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Volatile.Read(ref pairs);
            var nextId = current.Count == 0 ? 1 : current[^1].Id + 1;
            var now = timeProvider.GetUtcNow();
            var added = approved.Select((p, i) => new MemoryPair(nextId + i, p.Source, p.Target, now)).ToList();
            await Batch(lastBatch + 1).SaveAsync(added, 0, cancellationToken).ConfigureAwait(false);
            lastBatch++;
            Volatile.Write(ref pairs, [.. current, .. added]);
            return added;
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>The <paramref name="k"/> pairs most similar to <paramref name="text"/> by the embed model.</summary>
    public async Task<IReadOnlyList<MemoryHit>> SearchAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string text, int k, CancellationToken cancellationToken)
    {
        if (Count == 0 || k <= 0)
        {
            return [];
        }

        var query = await generator.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false);
        var model = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? generator.GetType().FullName ?? "embed";
        var collection = $"memory/{model}";
        await embedGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = Volatile.Read(ref pairs);
            await EmbedMissingAsync(generator, collection, snapshot, cancellationToken).ConfigureAwait(false);
            var matches = await vectors.SearchAsync(collection, UnitLength(query[0].Vector), Math.Min(k, snapshot.Count), cancellationToken).ConfigureAwait(false);
            var byKey = snapshot.ToDictionary(p => Key(p.Id), StringComparer.Ordinal);
            return [.. matches.Where(m => byKey.ContainsKey(m.Key)).Select(m => new MemoryHit(byKey[m.Key].Id, byKey[m.Key].Source, byKey[m.Key].Target, m.Score))];
        }
        finally
        {
            embedGate.Release();
        }
    }

    // Pairs only ever append and are embedded in order, a batch per transaction, so the collection's count is how
    // many of them have a vector: embedding carries on from there (a new model starts its own collection). Runs under embedGate.
    private async Task EmbedMissingAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string collection, List<MemoryPair> snapshot, CancellationToken cancellationToken)
    {
        for (var start = (int)await vectors.CountAsync(collection, cancellationToken).ConfigureAwait(false); start < snapshot.Count; start += EmbedBatch)
        {
            var batch = snapshot.Skip(start).Take(EmbedBatch).ToList();
            var embeddings = await generator.GenerateAsync(batch.Select(p => p.Source), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Count)
            {
                throw new InvalidOperationException($"the embedding model returned {embeddings.Count} vectors for {batch.Count} texts");
            }

            await vectors.EnsureCollectionAsync(collection, embeddings[0].Vector.Length, VectorQuantization.None, cancellationToken).ConfigureAwait(false);
            await vectors.UpsertAsync(collection, [.. batch.Select((p, i) => new VectorRecord(Key(p.Id), UnitLength(embeddings[i].Vector)))], cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static float[] UnitLength(ReadOnlyMemory<float> vector)
    {
        var copy = vector.ToArray();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }

    private SnapshotStore<MemoryPair> Batch(long seq) =>
        new(store, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{seq:D12}"), TranslatorJson.Default.ListMemoryPair);
}
