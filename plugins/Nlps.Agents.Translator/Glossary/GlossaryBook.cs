using Nlps.Agents.Text.Matching;
using Nlps.Agents.Text.Terms;
using Nlps.Agents.Translator.Contracts;
using Nlps.Agents.Text.Storage;
using Nlps.Sdk.Agents;

namespace Nlps.Agents.Translator.Glossary;

/// <summary>
/// The customer's glossary: persisted as snapshots in the agent's store, served from an immutable
/// <see cref="GlossaryIndex"/>. Changes are serialised; each writes a new snapshot, then swaps the index.
/// </summary>
internal sealed class GlossaryBook(SnapshotStore<GlossaryEntry> store, int maxTerms)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private GlossaryIndex index = GlossaryIndex.Empty;
    private long generation;

    public GlossaryIndex Current => Volatile.Read(ref index);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (items, loaded) = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        generation = loaded;
        Volatile.Write(ref index, new GlossaryIndex(items));
    }

    public Task<GlossaryImportResponse> ImportAsync(IReadOnlyList<TermPair> pairs, bool replace, CancellationToken cancellationToken) =>
        ChangeAsync(
            entries =>
            {
                if (replace)
                {
                    entries.Clear();
                }

                int added = 0, updated = 0, unchanged = 0;
                foreach (var pair in pairs)
                {
                    var key = TextFolding.FoldTerm(pair.Source);
                    if (!entries.TryGetValue(key, out var existing))
                    {
                        added++;
                    }
                    else if (existing.English == pair.Target)
                    {
                        unchanged++;
                        continue;
                    }
                    else
                    {
                        updated++;
                    }

                    entries[key] = new GlossaryEntry(pair.Source, pair.Target, existing?.Note);
                }

                return new GlossaryImportResponse(pairs.Count, added, updated, unchanged, entries.Count);
            },
            cancellationToken);

    public Task<GlossaryEntry> AddAsync(GlossaryEntry entry, CancellationToken cancellationToken) =>
        ChangeAsync(
            entries => entries.TryAdd(TextFolding.FoldTerm(entry.Korean), entry)
                ? entry
                : throw new AgentOperationException("glossary_term_exists", $"'{entry.Korean}' is already in the glossary; use glossary_update to change it.", 409),
            cancellationToken);

    public Task<GlossaryEntry> UpdateAsync(GlossaryEntry entry, CancellationToken cancellationToken) =>
        ChangeAsync(
            entries =>
            {
                var key = TextFolding.FoldTerm(entry.Korean);
                if (!entries.TryGetValue(key, out var existing))
                {
                    throw NotFound(entry.Korean);
                }

                return entries[key] = entry with { Korean = existing.Korean };
            },
            cancellationToken);

    public Task<int> DeleteAsync(string korean, CancellationToken cancellationToken) =>
        ChangeAsync(entries => entries.Remove(TextFolding.FoldTerm(korean)) ? entries.Count : throw NotFound(korean), cancellationToken);

    private static AgentOperationException NotFound(string korean) =>
        new("glossary_term_not_found", $"'{korean}' is not in the glossary.", 404);

    // Applies change to a copy of the entries; nothing is stored or swapped when it throws.
    private async Task<TResult> ChangeAsync<TResult>(Func<Dictionary<string, GlossaryEntry>, TResult> change, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = Current.Entries.ToDictionary(e => TextFolding.FoldTerm(e.Korean), StringComparer.Ordinal);
            var result = change(entries);
            if (entries.Count > maxTerms)
            {
                throw new AgentOperationException("glossary_too_large", $"The glossary would hold {entries.Count} terms; the limit (maxGlossaryTerms) is {maxTerms}. Nothing was changed.", 413);
            }

            var next = new GlossaryIndex(entries.Values);
            generation = await store.SaveAsync([.. next.Entries], generation, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref index, next);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }
}
