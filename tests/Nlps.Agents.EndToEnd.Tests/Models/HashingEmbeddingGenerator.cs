using Microsoft.Extensions.AI;

namespace Nlps.Agents.TestModels;

/// <summary>
/// TEST DOUBLE: the appliance's embedding engine is not wired yet (the CPU engine is being written on another branch),
/// so memory search is tested with this deterministic generator. It hashes character bigrams and trigrams (FNV-1a,
/// stable across runs) into a fixed number of dimensions: texts that share more n-grams get a higher cosine, so
/// similarity ranking is meaningful and the same on every run.
/// </summary>
public sealed class HashingEmbeddingGenerator(int dimensions = 256) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata metadata = new("test-hashing", defaultModelId: "hashing-ngrams", defaultModelDimensions: dimensions);

    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        Calls++;
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            result.Add(new Embedding<float>(Embed(value)));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata : null;

    public void Dispose()
    {
    }

    private float[] Embed(string text)
    {
        var vector = new float[dimensions];
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        for (var n = 2; n <= 3; n++)
        {
            for (var i = 0; i + n <= compact.Length; i++)
            {
                vector[Fnv(compact.AsSpan(i, n)) % (uint)dimensions] += 1;
            }
        }

        return vector;
    }

    private static uint Fnv(ReadOnlySpan<char> text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
