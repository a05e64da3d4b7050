using System.Globalization;
using Nlps.Inference.Kernels;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models.Llama;

/// <summary>
/// All weights of a Llama-family decoder, copied out of the checkpoint into the engine's layout (see
/// <see cref="LlamaLayer"/>). Every tensor's presence, dtype and shape is checked against config.json first, and a
/// mismatch names the tensor. Tied models (no lm_head.weight) use the embedding matrix as the output head.
/// </summary>
internal sealed class LlamaWeights : IDisposable
{
    internal LlamaWeights(WeightMatrix embedding, LlamaLayer[] layers, float[] finalNorm, WeightMatrix lmHead)
    {
        Embedding = embedding;
        Layers = layers;
        FinalNorm = finalNorm;
        LmHead = lmHead;
    }

    public WeightMatrix Embedding { get; }

    public LlamaLayer[] Layers { get; }

    public float[] FinalNorm { get; }

    public WeightMatrix LmHead { get; }

    /// <summary>Bytes of matrix weights a decode step streams: every layer plus the output head.</summary>
    public long StreamedBytesPerToken => Layers.Sum(l => l.ByteSize) + LmHead.ByteSize;

    public static LlamaWeights Load(IWeightSource checkpoint, LlamaConfig config, WeightFormat format)
    {
        var reader = new Reader(checkpoint, config, format);
        var built = new List<IDisposable>();
        try
        {
            WeightMatrix embedding = Track(built, reader.Matrix(["model.embed_tokens.weight"], config.VocabSize, config.HiddenSize));
            int q = config.Heads * config.HeadDim;
            int kv = config.KvHeads * config.HeadDim;
            var layers = new LlamaLayer[config.Layers];
            for (int i = 0; i < config.Layers; i++)
            {
                string p = string.Create(CultureInfo.InvariantCulture, $"model.layers.{i}.");
                reader.RefuseBiases(p + "mlp.gate_proj.bias", p + "mlp.up_proj.bias", p + "mlp.down_proj.bias");
                layers[i] = Track(built, new LlamaLayer(
                    reader.Vector(p + "input_layernorm.weight", config.HiddenSize),
                    reader.Matrix([p + "self_attn.q_proj.weight", p + "self_attn.k_proj.weight", p + "self_attn.v_proj.weight"], [q, kv, kv], config.HiddenSize),
                    reader.OptionalBiases([p + "self_attn.q_proj.bias", p + "self_attn.k_proj.bias", p + "self_attn.v_proj.bias"], [q, kv, kv]),
                    reader.Matrix([p + "self_attn.o_proj.weight"], [config.HiddenSize], q),
                    reader.OptionalBiases([p + "self_attn.o_proj.bias"], [config.HiddenSize]),
                    reader.Vector(p + "post_attention_layernorm.weight", config.HiddenSize),
                    reader.Matrix([p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight"], [config.IntermediateSize, config.IntermediateSize], config.HiddenSize),
                    reader.Matrix([p + "mlp.down_proj.weight"], [config.HiddenSize], config.IntermediateSize)));
            }

            float[] norm = reader.Vector("model.norm.weight", config.HiddenSize);
            WeightMatrix lmHead = embedding;
            if (checkpoint.Contains("lm_head.weight") && !config.TieWordEmbeddings)
            {
                lmHead = Track(built, reader.Matrix(["lm_head.weight"], config.VocabSize, config.HiddenSize));
            }
            else if (!config.TieWordEmbeddings)
            {
                throw new ModelConfigException($"{checkpoint.Origin}: tensor 'lm_head.weight' is missing and config.json does not set tie_word_embeddings");
            }

            return new LlamaWeights(embedding, layers, norm, lmHead);
        }
        catch
        {
            foreach (IDisposable d in built)
            {
                d.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (LlamaLayer layer in Layers)
        {
            layer.Dispose();
        }

        if (!ReferenceEquals(LmHead, Embedding))
        {
            LmHead.Dispose();
        }

        Embedding.Dispose();
    }

    private static T Track<T>(List<IDisposable> built, T item)
        where T : IDisposable
    {
        built.Add(item);
        return item;
    }

    private sealed class Reader(IWeightSource checkpoint, LlamaConfig config, WeightFormat format)
    {
        public WeightMatrix Matrix(string[] names, int rows, int cols) => Matrix(names, [rows], cols);

        public WeightMatrix Matrix(string[] names, int[] rows, int cols)
        {
            ElementType type = format switch
            {
                WeightFormat.F32 => ElementType.F32,
                WeightFormat.BF16 => ElementType.BF16,
                WeightFormat.Int8 => ElementType.Int8,
                WeightFormat.Int4 => ElementType.Int4,
                _ => checkpoint.Describe(names[0]).Dtype switch
                {
                    "BF16" => ElementType.BF16,
                    "Q8_0" => ElementType.Int8,
                    "Q4_0" => ElementType.Int4,
                    _ => ElementType.F32,
                },
            };
            for (int i = 0; i < names.Length; i++)
            {
                Check(names[i], [rows[i], cols]);
            }

            if (type is ElementType.Int8 or ElementType.Int4 && cols % QuantizedDot.Block != 0)
            {
                throw new ModelConfigException($"{checkpoint.Origin}: tensor '{names[0]}' has {cols} columns; {type} weights need a multiple of {QuantizedDot.Block} (use f32 or bf16)");
            }

            var matrix = new WeightMatrix(rows.Sum(), cols, type);
            int at = 0;
            for (int i = 0; i < names.Length; i++)
            {
                matrix.CopyRows(at, rows[i], checkpoint.Bytes(names[i]), checkpoint.Describe(names[i]).Dtype, names[i], checkpoint.RowOrder(names[i]));
                at += rows[i];
            }

            return matrix;
        }

        public float[] Vector(string name, int length)
        {
            Check(name, [length]);
            var result = new float[length];
            GgmlBlocks.ToSingle(checkpoint.Bytes(name), checkpoint.Describe(name).Dtype, result);
            return result;
        }

        /// <summary>Stacked biases of a fused projection, or null when the checkpoint has none (zeros stand in for a missing part).</summary>
        public float[]? OptionalBiases(string[] names, int[] lengths)
        {
            if (!names.Any(checkpoint.Contains))
            {
                return null;
            }

            var result = new float[lengths.Sum()];
            int at = 0;
            for (int i = 0; i < names.Length; i++)
            {
                if (checkpoint.Contains(names[i]))
                {
                    Vector(names[i], lengths[i]).CopyTo(result, at);
                }

                at += lengths[i];
            }

            return result;
        }

        public void RefuseBiases(params string[] names)
        {
            foreach (string name in names.Where(checkpoint.Contains))
            {
                throw new ModelConfigException($"{checkpoint.Origin}: tensor '{name}' (MLP bias) is not supported by the {config.ModelType} decoder");
            }
        }

        private void Check(string name, long[] shape)
        {
            TensorDescription tensor = checkpoint.Describe(name);
            if (tensor.Dtype is not ("F32" or "F16" or "BF16" or "Q8_0" or "Q4_0"))
            {
                throw new ModelConfigException($"{checkpoint.Origin}: tensor '{name}' has dtype {tensor.Dtype}; weights must be F32, F16, BF16, Q8_0 or Q4_0");
            }

            if (!tensor.Shape.SequenceEqual(shape))
            {
                throw new ModelConfigException(
                    $"{checkpoint.Origin}: tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}] but the model config implies [{string.Join(", ", shape)}]");
            }
        }
    }
}
