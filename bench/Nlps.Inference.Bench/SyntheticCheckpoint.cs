using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Llama;

namespace Nlps.Inference.Bench;

/// <summary>
/// A random-weight checkpoint with a real model's shapes, as F16 tensors under Hugging Face names, generated one
/// tensor at a time (nothing on disk until <see cref="Gguf.GgufExporter"/> writes it). Same value ranges as
/// <see cref="SyntheticModel"/>: embedding ±1, projections ±1/√fan-in, norms 1.
/// </summary>
internal sealed class SyntheticCheckpoint(LlamaConfig config) : IWeightSource
{
    public string Origin => "synthetic";

    public IEnumerable<string> Names
    {
        get
        {
            yield return "model.embed_tokens.weight";
            for (int i = 0; i < config.Layers; i++)
            {
                foreach (string suffix in (string[])["input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
                    "post_attention_layernorm.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight"])
                {
                    yield return string.Create(CultureInfo.InvariantCulture, $"model.layers.{i}.{suffix}");
                }
            }

            yield return "model.norm.weight";
            if (!config.TieWordEmbeddings)
            {
                yield return "lm_head.weight";
            }
        }
    }

    public bool Contains(string name) => Names.Contains(name);

    public TensorDescription Describe(string name) => new("F16", Shape(name));

    public ReadOnlySpan<byte> Bytes(string name)
    {
        long[] shape = Shape(name);
        int count = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        var values = new float[count];
        if (shape.Length == 1)
        {
            values.AsSpan().Fill(1f);
        }
        else
        {
            float scale = name == "model.embed_tokens.weight" ? 1f : 1f / MathF.Sqrt(shape[1]);
            ulong state = 0x9E3779B97F4A7C15UL;
            foreach (char c in name)
            {
                state = (state ^ c) * 0x100000001B3UL; // FNV-style: the same values in every process
            }

            for (int i = 0; i < count; i++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                values[i] = (((uint)state / (float)uint.MaxValue) - 0.5f) * 2 * scale;
            }
        }

        var halves = new Half[count];
        TensorPrimitives.ConvertToHalf(values, halves);
        return MemoryMarshal.AsBytes(halves.AsSpan());
    }

    public Func<int, int>? RowOrder(string name) => null;

    private long[] Shape(string name)
    {
        int q = config.Heads * config.HeadDim, kv = config.KvHeads * config.HeadDim;
        string suffix = name.StartsWith("model.layers.", StringComparison.Ordinal) ? name[(name.IndexOf('.', 13) + 1)..] : name;
        return suffix switch
        {
            "model.embed_tokens.weight" or "lm_head.weight" => [config.VocabSize, config.HiddenSize],
            "model.norm.weight" or "input_layernorm.weight" or "post_attention_layernorm.weight" => [config.HiddenSize],
            "self_attn.q_proj.weight" => [q, config.HiddenSize],
            "self_attn.k_proj.weight" or "self_attn.v_proj.weight" => [kv, config.HiddenSize],
            "self_attn.o_proj.weight" => [config.HiddenSize, q],
            "mlp.gate_proj.weight" or "mlp.up_proj.weight" => [config.IntermediateSize, config.HiddenSize],
            "mlp.down_proj.weight" => [config.HiddenSize, config.IntermediateSize],
            _ => throw new ArgumentException($"no tensor {name}", nameof(name)),
        };
    }
}
