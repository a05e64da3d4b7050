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
    public IReadOnlyList<VectorMatch> Search(ReadOnlySpan<float> query, int limit)
    {
        // A min-heap of the best rows so far: the root is the weakest one kept.
        var best = new PriorityQueue<int, float>(limit + 1);
        Span<float> widened = bytes is null ? [] : new float[Dimensions];
        for (var row = 0; row < keys.Length; row++)
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

        var matches = new VectorMatch[best.Count];
        for (var i = matches.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var row, out var score);
            matches[i] = new VectorMatch(keys[row], groups[row], score);
        }

        return matches;
    }
}
