using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Nlps.Sdk.Storage;

namespace Nlps.Storage.Vectors;

/// <summary>
/// One collection's vectors in memory for exact search. Layout: row-major, one row of <see cref="Dimensions"/>
/// values per vector, rows contiguous (float32, or int8 with one float scale per row: value ≈ row[i] × scale).
/// Immutable once built; a write to the collection replaces it.
/// </summary>
internal sealed class VectorIndex
{
    // Below this many rows one thread scans faster than starting several.
    private const int ParallelThreshold = 32_768;

    private readonly string[] keys;
    private readonly string?[] groups;
    private readonly float[]? floats;
    private readonly sbyte[]? bytes;
    private readonly float[] scales;

    private VectorIndex(int dimensions, string[] keys, string?[] groups, float[]? floats, sbyte[]? bytes, float[] scales)
    {
        Dimensions = dimensions;
        this.keys = keys;
        this.groups = groups;
        this.floats = floats;
        this.bytes = bytes;
        this.scales = scales;
    }

    public int Dimensions { get; }

    public int Count => keys.Length;

    public static VectorIndex Build(int dimensions, VectorQuantization quantization, IReadOnlyList<(string Key, string? Group, float Scale, byte[] Data)> rows)
    {
        var keys = new string[rows.Count];
        var groups = new string?[rows.Count];
        var scales = new float[rows.Count];
        var floats = quantization == VectorQuantization.None ? new float[(long)rows.Count * dimensions] : null;
        var bytes = quantization == VectorQuantization.Int8 ? new sbyte[(long)rows.Count * dimensions] : null;
        for (var i = 0; i < rows.Count; i++)
        {
            keys[i] = rows[i].Key;
            groups[i] = rows[i].Group;
            scales[i] = rows[i].Scale;
            if (floats is not null)
            {
                MemoryMarshal.Cast<byte, float>(rows[i].Data).CopyTo(floats.AsSpan(i * dimensions, dimensions));
            }
            else
            {
                MemoryMarshal.Cast<byte, sbyte>(rows[i].Data).CopyTo(bytes.AsSpan(i * dimensions, dimensions));
            }
        }

        return new VectorIndex(dimensions, keys, groups, floats, bytes, scales);
    }

    /// <summary>The <paramref name="limit"/> rows with the largest dot product with <paramref name="query"/>, best first.</summary>
    /// <remarks>Large collections are scanned in parallel slices, each keeping its own top-k, merged at the end.</remarks>
    public IReadOnlyList<VectorMatch> Search(ReadOnlySpan<float> query, int limit)
    {
        var partitions = keys.Length < ParallelThreshold ? 1 : Math.Min(Environment.ProcessorCount, keys.Length / (ParallelThreshold / 2));
        List<(int Row, float Score)> candidates;
        if (partitions <= 1)
        {
            candidates = Scan(query, 0, keys.Length, limit);
        }
        else
        {
            var queryCopy = query.ToArray();
            var slices = new List<(int Row, float Score)>[partitions];
            var size = (keys.Length + partitions - 1) / partitions;
            Parallel.For(0, partitions, p => slices[p] = Scan(queryCopy, p * size, Math.Min(keys.Length, (p + 1) * size), limit));
            candidates = slices.SelectMany(s => s).ToList();
        }

        return candidates
            .OrderByDescending(c => c.Score).ThenBy(c => c.Row)
            .Take(limit)
            .Select(c => new VectorMatch(keys[c.Row], groups[c.Row], c.Score))
            .ToList();
    }

    private List<(int Row, float Score)> Scan(ReadOnlySpan<float> query, int from, int to, int limit)
    {
        // A min-heap of the best rows so far: the root is the weakest one kept.
        var best = new PriorityQueue<int, float>(limit + 1);
        Span<float> widened = bytes is null ? [] : new float[Dimensions];
        for (var row = from; row < to; row++)
        {
            float score;
            if (floats is not null)
            {
                score = TensorPrimitives.Dot(query, floats.AsSpan(row * Dimensions, Dimensions));
            }
            else
            {
                TensorPrimitives.ConvertChecked<sbyte, float>(bytes.AsSpan(row * Dimensions, Dimensions), widened);
                score = TensorPrimitives.Dot(query, widened) * scales[row];
            }

            if (best.Count < limit)
            {
                best.Enqueue(row, score);
            }
            else if (best.TryPeek(out _, out var weakest) && score > weakest)
            {
                best.DequeueEnqueue(row, score);
            }
        }

        var kept = new List<(int Row, float Score)>(best.Count);
        while (best.TryDequeue(out var row, out var score))
        {
            kept.Add((row, score));
        }

        return kept;
    }
}
