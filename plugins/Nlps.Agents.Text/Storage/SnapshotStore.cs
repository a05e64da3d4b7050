using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nlps.Sdk.Storage;

namespace Nlps.Agents.Text.Storage;

/// <summary>
/// A list kept in the key/value store as whole generations: <c>{name}/g{generation}/{part}</c> holds JSON arrays of
/// at most <see cref="MaxPartBytes"/>, and <c>{name}/current</c> names the generation in force. A save writes the new
/// generation's parts, then switches the pointer (one atomic write), then removes the old parts; a crash before the
/// switch leaves the old list in force and the stray parts are removed at the next load. So an import that fails
/// half-way changes nothing.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class SnapshotStore<T>(IKeyValueStore store, string name, JsonTypeInfo<List<T>> typeInfo)
{
    /// <summary>The largest part; well under the store's 16 MiB value limit.</summary>
    public const int MaxPartBytes = 4 * 1024 * 1024;

    private string PointerKey => name + "/current";

    /// <summary>The list in force (empty when none was saved), after removing parts of generations not in force.</summary>
    public async Task<(List<T> Items, long Generation)> LoadAsync(CancellationToken cancellationToken)
    {
        var (generation, parts) = await ReadPointerAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<T>();
        for (var part = 0; part < parts; part++)
        {
            var bytes = await store.GetAsync(PartKey(generation, part), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{name}: part {part} of generation {generation} is missing from the store");
            items.AddRange(JsonSerializer.Deserialize(bytes, typeInfo) ?? []);
        }

        await RemoveGenerationsExceptAsync(generation, cancellationToken).ConfigureAwait(false);
        return (items, generation);
    }

    /// <summary>Saves <paramref name="items"/> as the next generation after <paramref name="current"/>; returns it.</summary>
    public async Task<long> SaveAsync(IReadOnlyList<T> items, long current, CancellationToken cancellationToken)
    {
        var generation = current + 1;
        var parts = 0;
        var batch = Math.Max(1, items.Count);
        var offset = 0;
        do
        {
            var count = Math.Min(batch, items.Count - offset);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(items.Skip(offset).Take(count).ToList(), typeInfo);
            if (bytes.Length > MaxPartBytes && count > 1)
            {
                batch = count / 2;
                continue;
            }

            await store.SetAsync(PartKey(generation, parts++), bytes, cancellationToken).ConfigureAwait(false);
            offset += count;
        }
        while (offset < items.Count);

        await store.SetStringAsync(PointerKey, string.Create(CultureInfo.InvariantCulture, $"{generation} {parts}"), cancellationToken).ConfigureAwait(false);
        await RemoveGenerationsExceptAsync(generation, CancellationToken.None).ConfigureAwait(false);
        return generation;
    }

    private async Task<(long Generation, int Parts)> ReadPointerAsync(CancellationToken cancellationToken)
    {
        var pointer = await store.GetStringAsync(PointerKey, cancellationToken).ConfigureAwait(false);
        if (pointer is null)
        {
            return (0, 0);
        }

        var fields = pointer.Split(' ');
        return fields.Length == 2
            && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parts)
            ? (generation, parts)
            : throw new InvalidDataException($"{name}: the pointer '{pointer}' is not '<generation> <parts>'");
    }

    private async Task RemoveGenerationsExceptAsync(long keep, CancellationToken cancellationToken)
    {
        var keepPrefix = GenerationPrefix(keep);
        var stale = new List<string>();
        await foreach (var key in store.ListKeysAsync(name + "/g", cancellationToken).ConfigureAwait(false))
        {
            if (!key.StartsWith(keepPrefix, StringComparison.Ordinal))
            {
                stale.Add(key);
            }
        }

        foreach (var key in stale)
        {
            await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    private string GenerationPrefix(long generation) => string.Create(CultureInfo.InvariantCulture, $"{name}/g{generation:D12}/");

    private string PartKey(long generation, int part) => string.Create(CultureInfo.InvariantCulture, $"{name}/g{generation:D12}/{part:D6}");
}
