using Nlps.Inference.Engine;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Bench;

/// <summary>A random-weight Llama-family model built in memory with a real model's shapes (no file, nothing committed).</summary>
internal static unsafe class SyntheticModel
{
    public static LlamaModel Create(LlamaConfig config, ElementType type, int threads)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        int q = config.Heads * config.HeadDim;
        int kv = config.KvHeads * config.HeadDim;
        WeightMatrix Matrix(int rows, int cols, float scale)
        {
            var m = new WeightMatrix(rows, cols, type);
            long n = (long)rows * cols;
            for (long i = 0; i < n; i++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                float v = (((uint)state / (float)uint.MaxValue) - 0.5f) * 2 * scale;
                if (type == ElementType.F32)
                {
                    m.F32[i] = v;
                }
                else
                {
                    m.BF16[i] = BFloat16.FromSingle(v);
                }
            }

            return m;
        }

        float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();
        float scale = 1f / MathF.Sqrt(config.HiddenSize);
        var embedding = Matrix(config.VocabSize, config.HiddenSize, 1f);
        var layers = new LlamaLayer[config.Layers];
        for (int i = 0; i < config.Layers; i++)
        {
            layers[i] = new LlamaLayer(
                Ones(config.HiddenSize), Matrix(q + (2 * kv), config.HiddenSize, scale), null,
                Matrix(config.HiddenSize, q, scale), null, Ones(config.HiddenSize),
                Matrix(2 * config.IntermediateSize, config.HiddenSize, scale),
                Matrix(config.HiddenSize, config.IntermediateSize, 1f / MathF.Sqrt(config.IntermediateSize)));
        }

        var lmHead = config.TieWordEmbeddings ? embedding : Matrix(config.VocabSize, config.HiddenSize, scale);
        var weights = new LlamaWeights(embedding, layers, Ones(config.HiddenSize), lmHead);
        return new LlamaModel(config, weights, new CpuEngineOptions { Threads = threads, MaxContextTokens = 1024 });
    }
}
