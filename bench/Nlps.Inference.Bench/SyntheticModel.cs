using Nlps.Inference.Engine;
using Nlps.Inference.Models.Llama;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Bench;

/// <summary>A random-weight Llama-family model built in memory with a real model's shapes (no file, nothing committed).</summary>
internal static unsafe class SyntheticModel
{
    public static LlamaModel Create(LlamaConfig config, ElementType type, CpuEngineOptions options)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        int q = config.Heads * config.HeadDim;
        int kv = config.KvHeads * config.HeadDim;
        WeightMatrix Matrix(int rows, int cols, float scale)
        {
            var m = new WeightMatrix(rows, cols, type);
            var row = new float[cols];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    row[c] = (((uint)state / (float)uint.MaxValue) - 0.5f) * 2 * scale;
                }

                // The engine's own load path: f32 rows converted (bf16) or quantized (int8) as a checkpoint would be.
                m.CopyRows(r, 1, System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()), "F32", "synthetic");
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
        return new LlamaModel(config, weights, options);
    }
}
