namespace Nlps.Testing.Models;

/// <summary>The shape of a tiny random-weight model written by <see cref="TinyModel"/>; real structure, toy sizes.</summary>
public sealed record TinyModelSpec
{
    public string ModelType { get; init; } = "llama";

    public int Hidden { get; init; } = 64;

    public int Intermediate { get; init; } = 96;

    public int Layers { get; init; } = 2;

    public int Heads { get; init; } = 8;

    public int KvHeads { get; init; } = 2;

    public int Vocab { get; init; } = 300;

    public string Dtype { get; init; } = "F32";

    public bool Tied { get; init; }

    public bool Llama3RopeScaling { get; init; }

    public double RopeTheta { get; init; } = 10000;

    public bool QkvBias { get; init; }

    public int Shards { get; init; } = 1;

    public int Seed { get; init; } = 1234;

    public int MaxPositions { get; init; } = 256;

    /// <summary>Llama 3.x-like: GQA ratio 4, llama3 rope scaling (θ and original context scaled down so it bites at toy sizes), untied.</summary>
    public static TinyModelSpec Llama3 => new() { Llama3RopeScaling = true };

    /// <summary>Qwen2-like: q/k/v biases, tied embeddings, bf16 weights.</summary>
    public static TinyModelSpec Qwen2 => new() { ModelType = "qwen2", QkvBias = true, Tied = true, Dtype = "BF16", RopeTheta = 1000000, Heads = 4, KvHeads = 2 };

    /// <summary>Mistral-like: f16 weights, no GQA ratio beyond 2, three layers.</summary>
    public static TinyModelSpec Mistral => new() { ModelType = "mistral", Dtype = "F16", Layers = 3, Heads = 4, KvHeads = 2 };
}
