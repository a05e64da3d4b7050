using System.Numerics.Tensors;

namespace Nlps.Agents.Translator.Memory;

/// <summary>
/// Unit-length embeddings as one row-major float matrix (row i = pair i, <see cref="Dimensions"/> floats per row), so
/// a query is scored against every row by dot products over contiguous memory. Append-only.
/// </summary>
internal sealed class VectorMatrix(int dimensions)
{
    private float[] data = new float[Math.Max(1, dimensions) * 64];

    public int Dimensions { get; } = dimensions;

    public int Rows { get; private set; }

    public void Add(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new InvalidOperationException($"the embedding model returned {vector.Length} dimensions, not {Dimensions}");
        }

        if ((Rows + 1) * Dimensions > data.Length)
        {
            Array.Resize(ref data, data.Length * 2);
        }

        var row = data.AsSpan(Rows * Dimensions, Dimensions);
        vector.CopyTo(row);
        Normalize(row);
        Rows++;
    }

    /// <summary>The <paramref name="k"/> rows most similar to <paramref name="query"/> (cosine), best first; ties by lower row.</summary>
    public IReadOnlyList<(int Row, float Score)> Top(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dimensions)
        {
            throw new InvalidOperationException($"the query has {query.Length} dimensions, not {Dimensions}");
        }

        var normalized = query.ToArray();
        Normalize(normalized);
        // A min-heap of the best k so far: the root is the weakest kept hit.
        var heap = new PriorityQueue<int, (float Score, int NegativeRow)>();
        for (var row = 0; row < Rows; row++)
        {
            var score = TensorPrimitives.Dot(normalized, data.AsSpan(row * Dimensions, Dimensions));
            if (heap.Count < k)
            {
                heap.Enqueue(row, (score, -row));
            }
            else if (heap.TryPeek(out _, out var weakest) && (score, -row).CompareTo(weakest) > 0)
            {
                heap.DequeueEnqueue(row, (score, -row));
            }
        }

        var hits = new List<(int, float)>(heap.Count);
        while (heap.TryDequeue(out var row, out var priority))
        {
            hits.Add((row, priority.Score));
        }

        hits.Reverse();
        return hits;
    }

    private static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
