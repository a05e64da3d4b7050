using Nlps.Inference.Models.Llama;

namespace Nlps.Inference.Bench;

/// <summary>The configs of real models whose shapes the benchmarks reproduce with random weights.</summary>
internal static class ModelShapes
{
    public static LlamaConfig Get(string shape) => shape switch
    {
        "llama3.2-1b" => new LlamaConfig
        {
            ModelType = "llama",
            HiddenSize = 2048,
            IntermediateSize = 8192,
            Layers = 16,
            Heads = 32,
            KvHeads = 8,
            HeadDim = 64,
            VocabSize = 128256,
            MaxPositionEmbeddings = 131072,
            RopeTheta = 500000,
            TieWordEmbeddings = true,
            RopeScaling = new RopeScaling("llama3", 32, 1, 4, 8192),
        },
        "tinyllama" => new LlamaConfig
        {
            ModelType = "llama",
            HiddenSize = 2048,
            IntermediateSize = 5632,
            Layers = 22,
            Heads = 32,
            KvHeads = 4,
            HeadDim = 64,
            VocabSize = 32000,
            MaxPositionEmbeddings = 2048,
            RmsNormEps = 1e-5,
            BosTokenIds = [1],
            EosTokenIds = [2],
        },
        _ => throw new ArgumentException($"unknown shape {shape}"),
    };
}
