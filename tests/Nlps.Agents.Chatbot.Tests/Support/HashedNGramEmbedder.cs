using Microsoft.Extensions.AI;

namespace Nlps.Agents.Chatbot.Tests.Support;

/// <summary>
/// TEST DOUBLE: no embedding engine exists on this branch (the CPU engine is being written elsewhere), so dense
/// retrieval is tested with this deterministic embedder: hashed character bigrams and trigrams of the text, so texts
/// that share wording are close and dense ranking means something. It records every input, so tests can check that
/// queries and passages are embedded separately with their own prefixes (which it strips before hashing).
/// </summary>
internal sealed class HashedNGramEmbedder(int dimensions = 256) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly List<string> inputs = [];

    public IReadOnlyList<string> Inputs
    {
        get
        {
            lock (inputs)
            {
                return [.. inputs];
            }
        }
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = values.ToList();
        lock (inputs)
        {
            inputs.AddRange(list);
        }

        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(v => new Embedding<float>(Embed(v)))));
    }

    public float[] Embed(string text)
    {
        foreach (var prefix in new[] { "query: ", "passage: " })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                text = text[prefix.Length..];
            }
        }

        var vector = new float[dimensions];
        var letters = new string(text.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        for (var n = 2; n <= 3; n++)
        {
            for (var i = 0; i + n <= letters.Length; i++)
            {
                var hash = Fnv1a(letters.AsSpan(i, n));
                vector[hash % (uint)dimensions] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
            }
        }

        return vector;
    }

    // FNV-1a over UTF-16 code units: stable across runs and processes (string.GetHashCode is randomised).
    private static uint Fnv1a(ReadOnlySpan<char> text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
