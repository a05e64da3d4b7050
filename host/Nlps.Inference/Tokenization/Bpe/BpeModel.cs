using System.Collections.Concurrent;
using System.Text;

namespace Nlps.Inference.Tokenization.Bpe;

/// <summary>
/// The BPE model of <c>tokenizer.json</c>: turns one pre-token ("word") into vocabulary ids by starting from
/// its characters and repeatedly applying the lowest-ranked merge, leftmost first (Hugging Face <c>merge_all</c>).
/// </summary>
internal sealed class BpeModel : ITokenModel
{
    /// <summary>Words longer than this are not cached: they rarely repeat and would bloat the cache.</summary>
    private const int MaxCachedWordLength = 256;

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocab;
    private readonly int[] _bmpCharToId;
    private readonly BpeMerges _merges;
    private readonly bool _ignoreMerges;
    private readonly int[]? _byteFallbackIds;
    private readonly int? _unknownId;
    private readonly bool _fuseUnknown;
    private readonly int _cacheCapacity;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private int _cachedWords;

    public BpeModel(
        Dictionary<string, int> vocab,
        BpeMerges merges,
        bool ignoreMerges,
        bool byteFallback,
        string? unknownToken,
        bool fuseUnknown,
        int cacheCapacity = 50_000)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        _vocab = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        _merges = merges;
        _ignoreMerges = ignoreMerges;
        _fuseUnknown = fuseUnknown;
        _cacheCapacity = cacheCapacity;
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();

        _bmpCharToId = new int[char.MaxValue + 1];
        Array.Fill(_bmpCharToId, -1);
        foreach (var (token, id) in vocab)
        {
            if (token.Length == 1)
            {
                _bmpCharToId[token[0]] = id;
            }
        }

        if (unknownToken is not null)
        {
            if (!vocab.TryGetValue(unknownToken, out var unk))
            {
                throw new InvalidDataException($"tokenizer.json: model.unk_token '{unknownToken}' is not in the vocabulary.");
            }

            _unknownId = unk;
        }

        if (byteFallback)
        {
            _byteFallbackIds = new int[256];
            for (var b = 0; b < 256; b++)
            {
                _byteFallbackIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
            }
        }
    }

    /// <summary>
    /// Appends the ids of one word. Hot path: <paramref name="word"/> is UTF-16 in vocabulary form (byte-level
    /// characters or '▁'-normalized text); symbols are code points, so surrogate pairs stay together.
    /// </summary>
    public void EncodeWord(ReadOnlySpan<char> word, List<int> output)
    {
        if (word.IsEmpty)
        {
            return;
        }

        if (_ignoreMerges && _vocab.TryGetValue(word, out var whole))
        {
            output.Add(whole);
            return;
        }

        var cacheable = word.Length <= MaxCachedWordLength;
        if (cacheable && _cacheLookup.TryGetValue(word, out var cached))
        {
            output.AddRange(cached);
            return;
        }

        var workspace = BpeWorkspace.Current;
        var count = InitialSymbols(word, workspace);
        MergeAll(workspace, count);

        var start = output.Count;
        for (var i = 0; i != -1 && i < count; i = workspace.Next[i])
        {
            output.Add(workspace.Ids[i]);
        }

        // ConcurrentDictionary.Count takes every lock (up to 1024 once grown), so the size is tracked here.
        if (cacheable && Volatile.Read(ref _cachedWords) < _cacheCapacity
            && _cache.TryAdd(word.ToString(), output.GetRange(start, output.Count - start).ToArray()))
        {
            Interlocked.Increment(ref _cachedWords);
        }
    }

    /// <summary>Fills the workspace with one symbol per code point (or per byte when byte fallback applies).</summary>
    private int InitialSymbols(ReadOnlySpan<char> word, BpeWorkspace workspace)
    {
        // At most one symbol per UTF-8 byte (byte fallback), and a UTF-16 unit is at most 3 UTF-8 bytes.
        workspace.EnsureCapacity(word.Length * 3);
        var ids = workspace.Ids;
        var count = 0;
        var pendingUnknown = false;
        Span<byte> utf8 = stackalloc byte[4];

        for (var i = 0; i < word.Length;)
        {
            var c = word[i];
            var width = char.IsHighSurrogate(c) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            var id = width == 1 ? _bmpCharToId[c] : LookUp(word.Slice(i, 2));

            if (id >= 0)
            {
                pendingUnknown = false;
                ids[count++] = id;
            }
            else if (_byteFallbackIds is not null && TryByteFallback(word.Slice(i, width), utf8, ids, ref count))
            {
                pendingUnknown = false;
            }
            else if (_unknownId is int unk)
            {
                if (!(pendingUnknown && _fuseUnknown))
                {
                    ids[count++] = unk;
                }

                pendingUnknown = true;
            }

            i += width;
        }

        return count;
    }

    private int LookUp(ReadOnlySpan<char> symbol) => _vocab.TryGetValue(symbol, out var id) ? id : -1;

    private bool TryByteFallback(ReadOnlySpan<char> symbol, Span<byte> utf8, int[] ids, ref int count)
    {
        var length = Encoding.UTF8.GetBytes(symbol, utf8);
        for (var b = 0; b < length; b++)
        {
            if (_byteFallbackIds![utf8[b]] < 0)
            {
                return false;
            }
        }

        for (var b = 0; b < length; b++)
        {
            ids[count++] = _byteFallbackIds![utf8[b]];
        }

        return true;
    }

    /// <summary>
    /// Merges the linked symbols in place. A heap of candidate pairs ordered by (rank, position) makes this
    /// O(n log n) in the word length, so a 100k-character pre-token stays cheap.
    /// </summary>
    private void MergeAll(BpeWorkspace workspace, int count)
    {
        var ids = workspace.Ids;
        var prev = workspace.Prev;
        var next = workspace.Next;
        var removed = workspace.Removed;
        var queue = workspace.Queue;
        queue.Clear();

        for (var i = 0; i < count; i++)
        {
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            removed[i] = false;
            if (i + 1 < count && _merges.TryGet(ids[i], ids[i + 1], out var rank, out _))
            {
                queue.Enqueue(i, Priority(rank, i));
            }
        }

        while (queue.TryDequeue(out var pos, out var priority))
        {
            var right = next[pos];
            if (removed[pos] || right < 0)
            {
                continue;
            }

            // Entries go stale when a neighbour merged first; the current pair must still be the queued merge.
            if (!_merges.TryGet(ids[pos], ids[right], out var rank, out var merged) || rank != (int)(priority >> 32))
            {
                continue;
            }

            ids[pos] = merged;
            removed[right] = true;
            next[pos] = next[right];
            if (next[pos] >= 0)
            {
                prev[next[pos]] = pos;
            }

            var left = prev[pos];
            if (left >= 0 && _merges.TryGet(ids[left], ids[pos], out var leftRank, out _))
            {
                queue.Enqueue(left, Priority(leftRank, left));
            }

            if (next[pos] >= 0 && _merges.TryGet(ids[pos], ids[next[pos]], out var rightRank, out _))
            {
                queue.Enqueue(pos, Priority(rightRank, pos));
            }
        }
    }

    private static long Priority(int rank, int position) => ((long)rank << 32) | (uint)position;
}
