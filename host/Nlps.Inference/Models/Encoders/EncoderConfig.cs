using System.Text.Json;
using static Nlps.Inference.Models.ConfigJson;

namespace Nlps.Inference.Models.Encoders;

/// <summary>
/// The parts of a config.json that a BERT-family encoder needs (<c>bert</c>, <c>xlm-roberta</c>, <c>roberta</c>, and
/// <c>dpr</c>, whose encoders are BERT). Absolute position embeddings, post-LayerNorm, exact GELU; anything else is
/// refused by name.
/// </summary>
public sealed record EncoderConfig
{
    public required string ModelType { get; init; }

    public required int HiddenSize { get; init; }

    public required int IntermediateSize { get; init; }

    public required int Layers { get; init; }

    public required int Heads { get; init; }

    public required int VocabSize { get; init; }

    public required int MaxPositionEmbeddings { get; init; }

    public int TypeVocabSize { get; init; } = 2;

    public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>Position id of the first token: 0 for BERT, padding_idx + 1 for RoBERTa/XLM-R (whose pad id is 1, so 2).</summary>
    public int PositionOffset { get; init; }

    /// <summary>Factor on the word embeddings: 1 for BERT, √d_model for a BART with <c>scale_embedding</c>.</summary>
    public float EmbeddingScale { get; init; } = 1f;

    public int HeadDim => HiddenSize / Heads;

    /// <summary>Longest sequence, special tokens included, that has position embeddings.</summary>
    public int MaxTokens => MaxPositionEmbeddings - PositionOffset;

    /// <summary>Reads config.json at <paramref name="path"/>.</summary>
    public static EncoderConfig Load(string path)
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

    public static EncoderConfig Parse(JsonElement root, string origin)
    {
        string modelType = String(root, "model_type", origin) ?? Missing<string>("model_type", origin);
        if (modelType is not ("bert" or "xlm-roberta" or "roberta" or "dpr"))
        {
            throw new ModelConfigException($"{origin}: model_type '{modelType}' is not an encoder this engine runs (bert, xlm-roberta, roberta, dpr)");
        }

        string act = String(root, "hidden_act", origin) ?? "gelu";
        if (act != "gelu")
        {
            throw new ModelConfigException($"{origin}: hidden_act '{act}' is not supported (gelu, the exact erf form)");
        }

        string positions = String(root, "position_embedding_type", origin) ?? "absolute";
        if (positions != "absolute")
        {
            throw new ModelConfigException($"{origin}: position_embedding_type '{positions}' is not supported (absolute)");
        }

        if (modelType == "dpr" && (Int(root, "projection_dim", origin) ?? 0) != 0)
        {
            throw new ModelConfigException($"{origin}: a DPR encoder with projection_dim > 0 is not supported");
        }

        int hidden = Positive(Int(root, "hidden_size", origin) ?? Missing<int>("hidden_size", origin), "hidden_size", origin);
        int heads = Positive(Int(root, "num_attention_heads", origin) ?? Missing<int>("num_attention_heads", origin), "num_attention_heads", origin);
        if (hidden % heads != 0)
        {
            throw new ModelConfigException($"{origin}: hidden_size {hidden} is not a multiple of num_attention_heads {heads}");
        }

        bool roberta = modelType is "xlm-roberta" or "roberta";
        int offset = roberta ? (Int(root, "pad_token_id", origin) ?? 1) + 1 : 0;
        int maxPositions = Positive(Int(root, "max_position_embeddings", origin) ?? 512, "max_position_embeddings", origin);
        if (maxPositions <= offset)
        {
            throw new ModelConfigException($"{origin}: max_position_embeddings {maxPositions} leaves no positions after the padding offset {offset}");
        }

        return new EncoderConfig
        {
            ModelType = modelType,
            HiddenSize = hidden,
            IntermediateSize = Positive(Int(root, "intermediate_size", origin) ?? Missing<int>("intermediate_size", origin), "intermediate_size", origin),
            Layers = Positive(Int(root, "num_hidden_layers", origin) ?? Missing<int>("num_hidden_layers", origin), "num_hidden_layers", origin),
            Heads = heads,
            VocabSize = Positive(Int(root, "vocab_size", origin) ?? Missing<int>("vocab_size", origin), "vocab_size", origin),
            MaxPositionEmbeddings = maxPositions,
            TypeVocabSize = Positive(Int(root, "type_vocab_size", origin) ?? 2, "type_vocab_size", origin),
            LayerNormEps = Double(root, "layer_norm_eps", origin) ?? 1e-12,
            PositionOffset = offset,
        };
    }
}
