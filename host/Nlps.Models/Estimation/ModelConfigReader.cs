using System.Text.Json;

namespace Nlps.Models.Estimation;

/// <summary>Reads the shape of a model from a Hugging Face config.json (llama, mistral, qwen2, bert, xlm-roberta, bart).</summary>
public static class ModelConfigReader
{
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["llama", "mistral", "qwen2", "bert", "xlm-roberta", "bart"];

    public static async Task<ModelArchitecture> ReadAsync(string path, CancellationToken cancellationToken)
    {
        string json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(json, path);
    }

    public static ModelArchitecture Parse(string json, string origin = "config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException($"{origin}: not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException($"{origin}: the top level must be a JSON object");
            }

            var config = new ConfigObject(document.RootElement, origin);
            string modelType = config.RequiredString("model_type");
            return modelType switch
            {
                "llama" or "mistral" or "qwen2" => Decoder(config, modelType),
                "bert" or "xlm-roberta" => Encoder(config, modelType),
                "bart" => Bart(config),
                _ => throw new ModelFormatException(
                    $"{origin}: unknown architecture model_type '{modelType}' (supported: {string.Join(", ", SupportedModelTypes)})"),
            };
        }
    }

    private static ModelArchitecture Decoder(ConfigObject config, string modelType)
    {
        int hidden = config.PositiveInt("hidden_size");
        int heads = config.PositiveInt("num_attention_heads");
        int kvHeads = config.OptionalPositiveInt("num_key_value_heads") ?? heads;
        int? headDim = config.OptionalPositiveInt("head_dim");
        if (headDim is null && hidden % heads != 0)
        {
            throw config.Error("num_attention_heads", $"{heads} does not divide hidden_size {hidden} and no head_dim is given");
        }

        if (heads % kvHeads != 0)
        {
            throw config.Error("num_key_value_heads", $"{kvHeads} does not divide num_attention_heads {heads}");
        }

        int positions = config.PositiveInt("max_position_embeddings");

        // Qwen2 always has Q/K/V biases; Llama has them only with attention_bias = true.
        bool bias = modelType == "qwen2" || config.OptionalBool("attention_bias") == true;
        return new ModelArchitecture(
            modelType,
            ModelFamily.Decoder,
            hidden,
            config.PositiveInt("num_hidden_layers"),
            EncoderLayers: 0,
            heads,
            kvHeads,
            headDim ?? hidden / heads,
            config.PositiveInt("intermediate_size"),
            config.PositiveInt("vocab_size"),
            config.OptionalBool("tie_word_embeddings") ?? false,
            bias,
            positions,
            TypeVocabSize: 0,
            ContextLimit: DecoderContextLimit(config, positions));
    }

    // YaRN / linear / dynamic scaling stretch the original window by "factor"; Llama 3's "llama3" type already
    // states the stretched window in max_position_embeddings.
    private static int DecoderContextLimit(ConfigObject config, int positions)
    {
        if (config.OptionalObject("rope_scaling") is not { } scaling)
        {
            return positions;
        }

        string? type = scaling.OptionalString("rope_type") ?? scaling.OptionalString("type");
        if (type is not ("yarn" or "linear" or "dynamic"))
        {
            return positions;
        }

        double factor = scaling.RequiredPositiveDouble("factor");
        int original = scaling.OptionalPositiveInt("original_max_position_embeddings") ?? positions;
        return (int)Math.Min(int.MaxValue, Math.Max(positions, Math.Floor(original * factor)));
    }

    private static ModelArchitecture Encoder(ConfigObject config, string modelType)
    {
        int hidden = config.PositiveInt("hidden_size");
        int heads = config.PositiveInt("num_attention_heads");
        int positions = config.PositiveInt("max_position_embeddings");

        // RoBERTa-style position ids start after padding_idx (1), so two positions are never usable.
        int offset = modelType == "xlm-roberta" ? 2 : 0;
        return new ModelArchitecture(
            modelType,
            ModelFamily.Encoder,
            hidden,
            config.PositiveInt("num_hidden_layers"),
            EncoderLayers: 0,
            heads,
            heads,
            hidden / heads,
            config.PositiveInt("intermediate_size"),
            config.PositiveInt("vocab_size"),
            TieWordEmbeddings: true,
            AttentionBias: true,
            positions,
            config.OptionalPositiveInt("type_vocab_size") ?? 2,
            ContextLimit: positions - offset);
    }

    private static ModelArchitecture Bart(ConfigObject config)
    {
        int model = config.PositiveInt("d_model");
        int encoderFfn = config.PositiveInt("encoder_ffn_dim");
        int decoderFfn = config.PositiveInt("decoder_ffn_dim");
        if (encoderFfn != decoderFfn)
        {
            throw config.Error("decoder_ffn_dim", $"{decoderFfn} differs from encoder_ffn_dim {encoderFfn}; only equal widths are supported");
        }

        int heads = config.PositiveInt("decoder_attention_heads");

        // Every position is usable: the learned table holds max_position_embeddings + 2 rows, the first 2 being the offset.
        int positions = config.PositiveInt("max_position_embeddings");
        return new ModelArchitecture(
            "bart",
            ModelFamily.Seq2Seq,
            model,
            config.PositiveInt("decoder_layers"),
            config.PositiveInt("encoder_layers"),
            heads,
            heads,
            model / heads,
            decoderFfn,
            config.PositiveInt("vocab_size"),
            TieWordEmbeddings: true,
            AttentionBias: true,
            positions,
            TypeVocabSize: 0,
            ContextLimit: positions);
    }

    private readonly struct ConfigObject(JsonElement element, string origin)
    {
        public string RequiredString(string key) =>
            OptionalString(key) ?? throw Error(key, "is missing");

        public string? OptionalString(string key) =>
            element.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public int PositiveInt(string key) => OptionalPositiveInt(key) ?? throw Error(key, "is missing");

        public int? OptionalPositiveInt(string key)
        {
            if (!element.TryGetProperty(key, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number > 0
                ? number
                : throw Error(key, $"must be a positive integer, was {value.GetRawText()}");
        }

        public double RequiredPositiveDouble(string key) =>
            element.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.GetDouble() > 0
                ? value.GetDouble()
                : throw Error(key, "must be a positive number");

        public bool? OptionalBool(string key)
        {
            if (!element.TryGetProperty(key, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error(key, $"must be true or false, was {value.GetRawText()}"),
            };
        }

        public ConfigObject? OptionalObject(string key) =>
            element.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.Object
                ? new ConfigObject(value, $"{origin}: {key}")
                : null;

        public ModelFormatException Error(string key, string problem) => new($"{origin}: '{key}' {problem}");
    }
}
