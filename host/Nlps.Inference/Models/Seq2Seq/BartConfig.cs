using System.Text.Json;
using Nlps.Inference.Models.Encoders;
using static Nlps.Inference.Models.ConfigJson;

namespace Nlps.Inference.Models.Seq2Seq;

/// <summary>
/// The parts of a BART config.json (<c>model_type: "bart"</c>, e.g. KoBART) the engine runs: post-LN encoder and
/// decoder with learned positions offset by 2, <c>layernorm_embedding</c>, exact GELU, tied token embeddings; the
/// pre-LN variants (<c>normalize_before</c>, mBART's <c>add_final_layer_norm</c>) are refused by name.
/// </summary>
public sealed record BartConfig
{
    /// <summary>BART's learned position embeddings start at row 2 (transformers' BartLearnedPositionalEmbedding offset).</summary>
    public const int PositionOffset = 2;

    public required int DModel { get; init; }

    public required int EncoderLayers { get; init; }

    public required int DecoderLayers { get; init; }

    public required int EncoderHeads { get; init; }

    public required int DecoderHeads { get; init; }

    public required int EncoderFfnDim { get; init; }

    public required int DecoderFfnDim { get; init; }

    public required int VocabSize { get; init; }

    /// <summary>Positions each side has (the table holds 2 more rows): the longest source, and the longest decoder input.</summary>
    public required int MaxPositionEmbeddings { get; init; }

    /// <summary>Token embeddings are multiplied by √d_model (<c>scale_embedding</c>).</summary>
    public bool ScaleEmbedding { get; init; }

    public int PadTokenId { get; init; } = 1;

    public int EosTokenId { get; init; } = 2;

    /// <summary>The decoder's first input (<c>decoder_start_token_id</c>, else the eos id as transformers defaults).</summary>
    public int DecoderStartTokenId { get; init; } = 2;

    /// <summary>Forced as the first generated token when set (<c>forced_bos_token_id</c>).</summary>
    public int? ForcedBosTokenId { get; init; }

    /// <summary>Forced as the last token when the length limit is reached (<c>forced_eos_token_id</c>).</summary>
    public int? ForcedEosTokenId { get; init; }

    public double LayerNormEps { get; init; } = 1e-5;

    public float EmbeddingScale => ScaleEmbedding ? MathF.Sqrt(DModel) : 1f;

    /// <summary>Reads config.json at <paramref name="path"/>.</summary>
    public static BartConfig Load(string path)
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

    public static BartConfig Parse(JsonElement root, string origin)
    {
        string modelType = String(root, "model_type", origin) ?? Missing<string>("model_type", origin);
        if (modelType != "bart")
        {
            throw new ModelConfigException($"{origin}: model_type '{modelType}' is not a seq2seq model this engine runs (bart)");
        }

        string act = String(root, "activation_function", origin) ?? "gelu";
        if (act != "gelu")
        {
            throw new ModelConfigException($"{origin}: activation_function '{act}' is not supported (gelu, the exact erf form)");
        }

        foreach (string key in (string[])["normalize_before", "add_final_layer_norm"])
        {
            if (Bool(root, key, origin) == true)
            {
                throw new ModelConfigException($"{origin}: '{key}': true (pre-LayerNorm, as mBART) is not supported; BART's post-LayerNorm blocks are");
            }
        }

        if (Bool(root, "normalize_embedding", origin) == false)
        {
            throw new ModelConfigException($"{origin}: 'normalize_embedding': false is not supported (layernorm_embedding is applied)");
        }

        int d = Positive(Int(root, "d_model", origin) ?? Missing<int>("d_model", origin), "d_model", origin);
        int encoderHeads = Heads(root, "encoder_attention_heads", d, origin);
        int decoderHeads = Heads(root, "decoder_attention_heads", d, origin);
        int eos = Int(root, "eos_token_id", origin) ?? 2;
        return new BartConfig
        {
            DModel = d,
            EncoderLayers = Positive(Int(root, "encoder_layers", origin) ?? Missing<int>("encoder_layers", origin), "encoder_layers", origin),
            DecoderLayers = Positive(Int(root, "decoder_layers", origin) ?? Missing<int>("decoder_layers", origin), "decoder_layers", origin),
            EncoderHeads = encoderHeads,
            DecoderHeads = decoderHeads,
            EncoderFfnDim = Positive(Int(root, "encoder_ffn_dim", origin) ?? Missing<int>("encoder_ffn_dim", origin), "encoder_ffn_dim", origin),
            DecoderFfnDim = Positive(Int(root, "decoder_ffn_dim", origin) ?? Missing<int>("decoder_ffn_dim", origin), "decoder_ffn_dim", origin),
            VocabSize = Positive(Int(root, "vocab_size", origin) ?? Missing<int>("vocab_size", origin), "vocab_size", origin),
            MaxPositionEmbeddings = Positive(Int(root, "max_position_embeddings", origin) ?? 1024, "max_position_embeddings", origin),
            ScaleEmbedding = Bool(root, "scale_embedding", origin) ?? false,
            PadTokenId = Int(root, "pad_token_id", origin) ?? 1,
            EosTokenId = eos,
            DecoderStartTokenId = Int(root, "decoder_start_token_id", origin) ?? eos,
            ForcedBosTokenId = Int(root, "forced_bos_token_id", origin),
            ForcedEosTokenId = Int(root, "forced_eos_token_id", origin),
        };
    }

    /// <summary>The encoder half as the BERT-family encoder runs it: same post-LN layers, positions offset by 2, no token types.</summary>
    internal EncoderConfig ToEncoderConfig() => new()
    {
        ModelType = "bart",
        HiddenSize = DModel,
        IntermediateSize = EncoderFfnDim,
        Layers = EncoderLayers,
        Heads = EncoderHeads,
        VocabSize = VocabSize,
        MaxPositionEmbeddings = MaxPositionEmbeddings + PositionOffset,
        TypeVocabSize = 1,
        LayerNormEps = LayerNormEps,
        PositionOffset = PositionOffset,
        EmbeddingScale = EmbeddingScale,
    };

    private static int Heads(JsonElement root, string key, int d, string origin)
    {
        int heads = Positive(Int(root, key, origin) ?? Missing<int>(key, origin), key, origin);
        return d % heads == 0 ? heads : throw new ModelConfigException($"{origin}: d_model {d} is not a multiple of {key} {heads}");
    }
}
