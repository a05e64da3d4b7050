using System.Runtime.InteropServices;
using Nlps.Formats.Gguf;
using Nlps.Inference.Models;
using Nlps.Inference.Models.Llama;

namespace Nlps.Inference.Gguf;

/// <summary>
/// Maps GGUF metadata (<c>{arch}.embedding_length</c>, <c>{arch}.attention.head_count</c>, …) to the decoder's
/// <see cref="LlamaConfig"/> and back. Architectures: <c>llama</c> (Llama 2/3, Mistral; q/k rows permuted for adjacent
/// RoPE pairs) and <c>qwen2</c> (half-split RoPE, q/k/v biases). Anything the engine cannot run exactly is refused by key.
/// </summary>
internal static class GgufModelConfig
{
    public const string ArchitectureKey = "general.architecture";

    public const string RopeFactorsTensor = "rope_freqs.weight";

    public static LlamaConfig Read(GgufCheckpoint file)
    {
        GgufMetadata m = file.Metadata;
        string origin = file.Path;
        string arch = m.String(ArchitectureKey) ?? throw new ModelConfigException($"{origin}: '{ArchitectureKey}' is missing");
        if (arch is not ("llama" or "qwen2"))
        {
            throw new ModelConfigException($"{origin}: '{ArchitectureKey}' is '{arch}', not an architecture this engine runs (llama, qwen2)");
        }

        int hidden = Int(m, $"{arch}.embedding_length", origin);
        int heads = Int(m, $"{arch}.attention.head_count", origin);
        int kvHeads = (int?)m.Integer($"{arch}.attention.head_count_kv") ?? heads;
        int headDim = (int?)m.Integer($"{arch}.attention.key_length") ?? (heads > 0 ? hidden / heads : 0);
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 || headDim <= 0 || headDim % 2 != 0)
        {
            throw new ModelConfigException($"{origin}: head_count {heads}, head_count_kv {kvHeads} and head size {headDim} do not describe grouped-query attention");
        }

        if (m.Integer($"{arch}.rope.dimension_count") is long ropeDims && ropeDims != headDim)
        {
            throw new ModelConfigException($"{origin}: {arch}.rope.dimension_count {ropeDims} differs from the head size {headDim}; partial rotary embeddings are not supported");
        }

        string? scalingType = m.String($"{arch}.rope.scaling.type");
        RopeScaling? scaling = scalingType switch
        {
            null or "none" => null,
            "linear" => new RopeScaling("linear", m.Number($"{arch}.rope.scaling.factor") ?? 1),
            _ => throw new ModelConfigException($"{origin}: {arch}.rope.scaling.type '{scalingType}' is not supported (none, linear)"),
        };

        GgufTensorInfo embedding = file.Describe("token_embd.weight");
        return new LlamaConfig
        {
            ModelType = arch,
            HiddenSize = hidden,
            IntermediateSize = Int(m, $"{arch}.feed_forward_length", origin),
            Layers = Int(m, $"{arch}.block_count", origin),
            Heads = heads,
            KvHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = checked((int)embedding.Shape[0]),
            MaxPositionEmbeddings = Int(m, $"{arch}.context_length", origin),
            RmsNormEps = m.Number($"{arch}.attention.layer_norm_rms_epsilon") ?? throw new ModelConfigException($"{origin}: '{arch}.attention.layer_norm_rms_epsilon' is missing"),
            RopeTheta = m.Number($"{arch}.rope.freq_base") ?? 10000,
            RopeScaling = scaling,
            RopeFrequencyFactors = RopeFactors(file, headDim),
            TieWordEmbeddings = !file.Contains("output.weight"),
            BosTokenIds = Ids(m, "tokenizer.ggml.bos_token_id"),
            EosTokenIds = [.. Ids(m, "tokenizer.ggml.eos_token_id"), .. Ids(m, "tokenizer.ggml.eot_token_id"), .. Ids(m, "tokenizer.ggml.eom_token_id")],
        };
    }

    /// <summary>The architecture metadata llama.cpp expects for <paramref name="config"/>.</summary>
    public static List<KeyValuePair<string, object>> Write(LlamaConfig config, string name)
    {
        string arch = Architecture(config);
        return
        [
            new(ArchitectureKey, arch),
            new("general.name", name),
            new($"{arch}.context_length", (uint)config.MaxPositionEmbeddings),
            new($"{arch}.embedding_length", (uint)config.HiddenSize),
            new($"{arch}.block_count", (uint)config.Layers),
            new($"{arch}.feed_forward_length", (uint)config.IntermediateSize),
            new($"{arch}.rope.dimension_count", (uint)config.HeadDim),
            new($"{arch}.attention.head_count", (uint)config.Heads),
            new($"{arch}.attention.head_count_kv", (uint)config.KvHeads),
            new($"{arch}.attention.key_length", (uint)config.HeadDim),
            new($"{arch}.attention.value_length", (uint)config.HeadDim),
            new($"{arch}.attention.layer_norm_rms_epsilon", (float)config.RmsNormEps),
            new($"{arch}.rope.freq_base", (float)config.RopeTheta),
            new($"{arch}.vocab_size", (uint)config.VocabSize),
            .. config.RopeScaling?.Type == "linear"
                ? [new($"{arch}.rope.scaling.type", "linear"), new KeyValuePair<string, object>($"{arch}.rope.scaling.factor", (float)config.RopeScaling.Factor)]
                : Array.Empty<KeyValuePair<string, object>>(),
        ];
    }

    /// <summary>llama (Llama, Mistral: permuted q/k) or qwen2 (half-split RoPE as stored).</summary>
    public static string Architecture(LlamaConfig config) => config.ModelType == "qwen2" ? "qwen2" : "llama";

    /// <summary>
    /// The divisors llama.cpp keeps in <c>rope_freqs.weight</c> for llama3 scaling: unscaled inverse frequency over
    /// scaled, per pair. Null when the scaling is not llama3.
    /// </summary>
    public static float[]? RopeFactors(LlamaConfig config)
    {
        if (config.RopeScaling?.Type != "llama3")
        {
            return null;
        }

        double[] plain = RopeFrequencies.Compute(config.HeadDim, config.RopeTheta, null);
        double[] scaled = RopeFrequencies.Compute(config.HeadDim, config.RopeTheta, config.RopeScaling);
        return [.. plain.Zip(scaled, (p, s) => (float)(p / s))];
    }

    private static float[]? RopeFactors(GgufCheckpoint file, int headDim)
    {
        if (!file.Contains(RopeFactorsTensor))
        {
            return null;
        }

        GgufTensorInfo tensor = file.Describe(RopeFactorsTensor);
        if (tensor.Type != GgufTensorType.F32 || tensor.ElementCount != headDim / 2)
        {
            throw new ModelConfigException($"{file.Path}: {RopeFactorsTensor} must be {headDim / 2} f32 values, not {tensor.ElementCount} {tensor.Type}");
        }

        return MemoryMarshal.Cast<byte, float>(file.Bytes(RopeFactorsTensor)).ToArray();
    }

    private static int Int(GgufMetadata m, string key, string origin)
    {
        long value = m.Integer(key) ?? throw new ModelConfigException($"{origin}: '{key}' is missing");
        return value is > 0 and <= int.MaxValue ? (int)value : throw new ModelConfigException($"{origin}: '{key}' must be a positive integer, not {value}");
    }

    private static int[] Ids(GgufMetadata m, string key) => m.Integer(key) is long id ? [(int)id] : [];
}
