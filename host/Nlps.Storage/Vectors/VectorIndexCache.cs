namespace Nlps.Storage.Vectors;

/// <summary>
/// The in-memory indexes of the collections searched so far, one per (plugin, collection). Every write to a
/// collection bumps its generation and drops its index; an index loaded while a write happened is not kept.
/// nlpsd is the only writer of its database, so this is coherent.
/// </summary>
internal sealed class VectorIndexCache
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Plugin, string Collection), (long Generation, VectorIndex? Index)> entries = [];

    public long Generation(string plugin, string collection)
    {
        lock (gate)
        {
            return entries.TryGetValue((plugin, collection), out var entry) ? entry.Generation : 0;
        }
    }

    public VectorIndex? Get(string plugin, string collection)
    {
        lock (gate)
        {
            return entries.TryGetValue((plugin, collection), out var entry) ? entry.Index : null;
        }
    }

    public void Keep(string plugin, string collection, long generation, VectorIndex index)
    {
        lock (gate)
        {
            var current = entries.TryGetValue((plugin, collection), out var entry) ? entry.Generation : 0;
            if (current == generation)
            {
                entries[(plugin, collection)] = (generation, index);
            }
        }
    }

    public void Invalidate(string plugin, string collection)
    {
        lock (gate)
        {
            var current = entries.TryGetValue((plugin, collection), out var entry) ? entry.Generation : 0;
            entries[(plugin, collection)] = (current + 1, null);
        }
    }

    public void InvalidatePlugin(string plugin)
    {
        lock (gate)
        {
            foreach (var key in entries.Keys.Where(k => k.Plugin == plugin).ToList())
            {
                entries[key] = (entries[key].Generation + 1, null);
            }
        }
    }
}
