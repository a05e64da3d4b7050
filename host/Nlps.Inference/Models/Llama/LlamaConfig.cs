using System.Text.Json;
using static Nlps.Inference.Models.ConfigJson;

namespace Nlps.Inference.Models.Llama;

/// <summary>
/// The parts of a Hugging Face config.json that a Llama-family decoder needs (<c>llama</c>, <c>mistral</c>, <c>qwen2</c>).
/// Defaults follow the transformers config classes; anything the engine cannot run exactly is refused by name.
/// </summary>
public sealed record LlamaConfig
{
    public required string ModelType { get; init; }

    public required int HiddenSize { get; init; }

    public required int IntermediateSize { get; init; }

    public required int Layers { get; init; }

    public required int Heads { get; init; }

    public required int KvHeads { get; init; }

    public required int HeadDim { get; init; }

    public required int VocabSize { get; init; }

    public required int MaxPositionEmbeddings { get; init; }

    public double RmsNormEps { get; init; } = 1e-6;

    public double RopeTheta { get; init; } = 10000;

    public RopeScaling? RopeScaling { get; init; }

    /// <summary>
    /// Per-frequency divisors of the RoPE inverse frequencies (GGUF's <c>rope_freqs.weight</c>, how llama.cpp stores
    /// llama3 scaling), applied after <see cref="RopeScaling"/>; null when the model has none.
    /// </summary>
    public IReadOnlyList<float>? RopeFrequencyFactors { get; init; }

    public bool TieWordEmbeddings { get; init; }

    public IReadOnlyList<int> BosTokenIds { get; init; } = [];

    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>Reads config.json at <paramref name="path"/>.</summary>
    public static LlamaConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            return Parse(document.RootElement, path);
        }
        catch (JsonException ex)
        {
            throw new ModelConfigException($"{path}: not valid JSON ({ex.Message})", ex);
        }
    }

    public static LlamaConfig Parse(JsonElement root, string origin)
    {
        string modelType = String(root, "model_type", origin) ?? throw new ModelConfigException($"{origin}: 'model_type' is missing");
        if (modelType is not ("llama" or "mistral" or "qwen2"))
        {
            throw new ModelConfigException($"{origin}: model_type '{modelType}' is not a Llama-family decoder this engine runs (llama, mistral, qwen2)");
        }

        string act = String(root, "hidden_act", origin) ?? "silu";
        if (act != "silu")
        {
            throw new ModelConfigException($"{origin}: hidden_act '{act}' is not supported (silu)");
        }

        int hidden = Int(root, "hidden_size", origin) ?? Missing<int>("hidden_size", origin);
        int heads = Int(root, "num_attention_heads", origin) ?? Missing<int>("num_attention_heads", origin);
        int kvHeads = Int(root, "num_key_value_heads", origin) ?? heads;
        int headDim = Int(root, "head_dim", origin) ?? (hidden / heads);
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0)
        {
            throw new ModelConfigException($"{origin}: num_attention_heads {heads} must be a positive multiple of num_key_value_heads {kvHeads}");
        }

        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ModelConfigException($"{origin}: head_dim {headDim} must be positive and even");
        }

        bool tiedDefault = false;
        int maxPositions = Int(root, "max_position_embeddings", origin) ?? 2048;
        if (modelType == "mistral" && Int(root, "sliding_window", origin) is int window && window < maxPositions)
        {
            // Beyond the window Mistral attends to a band; stopping the context there keeps every answer exact.
            maxPositions = window;
        }

        if (modelType == "qwen2" && Bool(root, "use_sliding_window", origin) == true)
        {
            throw new ModelConfigException($"{origin}: use_sliding_window=true is not supported");
        }

        return new LlamaConfig
        {
            ModelType = modelType,
            HiddenSize = Positive(hidden, "hidden_size", origin),
            IntermediateSize = Positive(Int(root, "intermediate_size", origin) ?? Missing<int>("intermediate_size", origin), "intermediate_size", origin),
            Layers = Positive(Int(root, "num_hidden_layers", origin) ?? Missing<int>("num_hidden_layers", origin), "num_hidden_layers", origin),
            Heads = heads,
            KvHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = Positive(Int(root, "vocab_size", origin) ?? Missing<int>("vocab_size", origin), "vocab_size", origin),
            MaxPositionEmbeddings = Positive(maxPositions, "max_position_embeddings", origin),
            RmsNormEps = Double(root, "rms_norm_eps", origin) ?? 1e-6,
            RopeTheta = Double(root, "rope_theta", origin) ?? 10000,
            RopeScaling = ReadRopeScaling(root, origin),
            TieWordEmbeddings = Bool(root, "tie_word_embeddings", origin) ?? tiedDefault,
            BosTokenIds = Ids(root, "bos_token_id", origin),
            EosTokenIds = Ids(root, "eos_token_id", origin),
        };
    }

    private static RopeScaling? ReadRopeScaling(JsonElement root, string origin)
    {
        if (!root.TryGetProperty("rope_scaling", out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException($"{origin}: rope_scaling must be an object or null");
        }

        string type = String(e, "rope_type", origin) ?? String(e, "type", origin) ?? Missing<string>("rope_scaling.rope_type", origin);
        if (type is not ("llama3" or "linear" or "default"))
        {
            throw new ModelConfigException($"{origin}: rope_scaling type '{type}' is not supported (llama3, linear, default)");
        }

        return new RopeScaling(
            type,
            Double(e, "factor", origin) ?? (type == "default" ? 1 : Missing<double>("rope_scaling.factor", origin)),
            Double(e, "low_freq_factor", origin) ?? 1,
            Double(e, "high_freq_factor", origin) ?? 4,
            Int(e, "original_max_position_embeddings", origin) ?? 8192);
    }
}
