using System.Text.Json;

namespace Nlps.Formats.Peft;

/// <summary>
/// A PEFT <c>adapter_config.json</c> for LoRA: rank, alpha, the target modules and rsLoRA. Options that change the
/// arithmetic in ways the engines do not implement (DoRA, trained biases, per-module ranks, fan-in-fan-out weights)
/// are refused rather than ignored, so an adapter never runs with silently different outputs.
/// </summary>
/// <param name="Rank">"r": the inner dimension of A and B.</param>
/// <param name="Alpha">"lora_alpha" (PEFT's default 8 when absent).</param>
/// <param name="UseRsLora">"use_rslora": scale by alpha / √r instead of alpha / r.</param>
/// <param name="TargetModules">Module names (<c>q_proj</c>, …), or the single entry <see cref="AllLinear"/>.</param>
/// <param name="BaseModel">"base_model_name_or_path" as the adapter's author wrote it.</param>
public sealed record LoraAdapterConfig(int Rank, double Alpha, bool UseRsLora, IReadOnlyList<string> TargetModules, string? BaseModel)
{
    public const string FileName = "adapter_config.json";

    /// <summary>PEFT's shorthand for every linear layer but the output head.</summary>
    public const string AllLinear = "all-linear";

    /// <summary>PEFT's default lora_alpha when the file has none.</summary>
    public const double DefaultAlpha = 8;

    /// <summary>The factor on B·A: alpha / r, or alpha / √r with rsLoRA.</summary>
    public double Scale => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>True when <paramref name="module"/> (the last part of a layer's name, e.g. <c>q_proj</c>) is a target.</summary>
    public bool Targets(string module) => TargetModules.Contains(AllLinear, StringComparer.Ordinal) || TargetModules.Contains(module, StringComparer.Ordinal);

    /// <summary>Parses the JSON; <paramref name="origin"/> names the file in errors.</summary>
    public static LoraAdapterConfig Parse(ReadOnlySpan<byte> json, string origin)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LoraAdapterException($"{origin}: not a JSON object");
            }

            if (String(root, "peft_type") is { } type && !type.Equals("LORA", StringComparison.OrdinalIgnoreCase))
            {
                throw new LoraAdapterException($"{origin}: peft_type is '{type}'; only LORA adapters are supported");
            }

            int rank = root.TryGetProperty("r", out JsonElement r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int value) && value > 0
                ? value
                : throw new LoraAdapterException($"{origin}: 'r' must be a positive integer");
            double alpha = root.TryGetProperty("lora_alpha", out JsonElement a) && a.ValueKind != JsonValueKind.Null
                ? a.ValueKind == JsonValueKind.Number ? a.GetDouble() : throw new LoraAdapterException($"{origin}: 'lora_alpha' must be a number")
                : DefaultAlpha;
            List<string> targets = root.TryGetProperty("target_modules", out JsonElement t) switch
            {
                true when t.ValueKind == JsonValueKind.Array && t.GetArrayLength() > 0 && t.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && e.GetString()!.Length > 0)
                    => t.EnumerateArray().Select(e => e.GetString()!).ToList(),
                true when t.ValueKind == JsonValueKind.String && t.GetString() == AllLinear => [AllLinear],
                true when t.ValueKind == JsonValueKind.String => throw new LoraAdapterException($"{origin}: 'target_modules' is the pattern '{t.GetString()}'; list the module names instead"),
                _ => throw new LoraAdapterException($"{origin}: 'target_modules' must be a non-empty list of module names"),
            };
            Refuse(root, origin, "use_dora", e => e.ValueKind == JsonValueKind.True, "DoRA adapters are not supported");
            Refuse(root, origin, "fan_in_fan_out", e => e.ValueKind == JsonValueKind.True, "fan_in_fan_out (GPT-2 style Conv1D weights) is not supported");
            Refuse(root, origin, "bias", e => e.ValueKind == JsonValueKind.String && e.GetString() != "none", "trained biases ('bias' other than \"none\") are not supported");
            Refuse(root, origin, "rank_pattern", e => e.ValueKind == JsonValueKind.Object && e.EnumerateObject().Any(), "per-module ranks ('rank_pattern') are not supported");
            Refuse(root, origin, "alpha_pattern", e => e.ValueKind == JsonValueKind.Object && e.EnumerateObject().Any(), "per-module alphas ('alpha_pattern') are not supported");
            bool rs = root.TryGetProperty("use_rslora", out JsonElement rsLora) && rsLora.ValueKind == JsonValueKind.True;
            return new LoraAdapterConfig(rank, alpha, rs, targets, String(root, "base_model_name_or_path"));
        }
        catch (JsonException ex)
        {
            throw new LoraAdapterException($"{origin}: not valid JSON ({ex.Message})", ex);
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Refuse(JsonElement root, string origin, string name, Func<JsonElement, bool> unsupported, string why)
    {
        if (root.TryGetProperty(name, out JsonElement value) && unsupported(value))
        {
            throw new LoraAdapterException($"{origin}: {why}");
        }
    }
}
