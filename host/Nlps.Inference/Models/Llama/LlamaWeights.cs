using System.Globalization;
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
        var reader = new CheckpointReader(checkpoint, format);
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
                reader.RefuseBiases($"{config.ModelType} decoder", p + "mlp.gate_proj.bias", p + "mlp.up_proj.bias", p + "mlp.down_proj.bias");
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
}
