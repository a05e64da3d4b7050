using System.Globalization;
using Microsoft.Extensions.AI;
using Nlps.Agents.Text.Terms;
using Nlps.Agents.Translator.Contracts;
using Nlps.Agents.Text.Storage;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.Translator.Memory;

/// <summary>
/// Approved Korean–English pairs. Each import or approval is one batch in the store (<c>memory/batch/{seq}</c>, a
/// <see cref="SnapshotStore{T}"/> whose pointer doubles as the commit mark, so a half-written import is discarded).
/// Embeddings are made with the embed model on first use and kept in memory per model; they are not persisted yet
/// (the appliance's vector store is being added to the SDK on another branch).
/// </summary>
internal sealed class TranslationMemory(IKeyValueStore store, TimeProvider timeProvider)
{
    private const string Prefix = "memory/batch/";
    private const int EmbedBatch = 64;

    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly SemaphoreSlim embedGate = new(1, 1);
    private List<MemoryPair> pairs = [];
    private long lastBatch;
    private (string Model, VectorMatrix Matrix)? vectors;

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
        await embedGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Pairs only ever append, so row i of the matrix is pair i of any later snapshot.
            var snapshot = Volatile.Read(ref pairs);
            var matrix = await EmbedMissingAsync(generator, model, snapshot, cancellationToken).ConfigureAwait(false);
            return [.. matrix.Top(query[0].Vector.Span, Math.Min(k, matrix.Rows)).Select(hit => new MemoryHit(snapshot[hit.Row].Id, snapshot[hit.Row].Source, snapshot[hit.Row].Target, hit.Score))];
        }
        finally
        {
            embedGate.Release();
        }
    }

    // Embeds the pairs that have no vector yet for this model (a new model starts over). Runs under embedGate.
    private async Task<VectorMatrix> EmbedMissingAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string model, List<MemoryPair> snapshot, CancellationToken cancellationToken)
    {
        var matrix = vectors is { } known && known.Model == model ? known.Matrix : null;
        for (var start = matrix?.Rows ?? 0; start < snapshot.Count; start += EmbedBatch)
        {
            var batch = snapshot.Skip(start).Take(EmbedBatch).Select(p => p.Source).ToList();
            var embeddings = await generator.GenerateAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Count)
            {
                throw new InvalidOperationException($"the embedding model returned {embeddings.Count} vectors for {batch.Count} texts");
            }

            foreach (var embedding in embeddings)
            {
                matrix ??= new VectorMatrix(embedding.Vector.Length);
                matrix.Add(embedding.Vector.Span);
            }

            // Keep what is done even if a later batch is cancelled.
            vectors = (model, matrix!);
        }

        return matrix ?? throw new InvalidOperationException("no embeddings were made");
    }

    private SnapshotStore<MemoryPair> Batch(long seq) =>
        new(store, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{seq:D12}"), TranslatorJson.Default.ListMemoryPair);
}
