using System.Numerics.Tensors;
using System.Text.Json;

namespace Nlps.Inference.Models.Encoders.Pooling;

/// <summary>
/// Pooling and L2 normalisation of a sentence embedding. Read from the model folder's sentence-transformers files
/// when present (<c>modules.json</c> naming a Pooling module, whose <c>config.json</c> sets one
/// <c>pooling_mode_*</c>, and an optional Normalize module); otherwise the caller's choice. A pooling mode this
/// engine does not compute is refused by name rather than replaced.
/// </summary>
public sealed record EmbeddingPooling(PoolingMode Mode, bool Normalize)
{
    private static readonly Dictionary<string, PoolingMode> Modes = new(StringComparer.Ordinal)
    {
        ["pooling_mode_cls_token"] = PoolingMode.Cls,
        ["pooling_mode_mean_tokens"] = PoolingMode.Mean,
        ["pooling_mode_max_tokens"] = PoolingMode.Max,
        ["pooling_mode_lasttoken"] = PoolingMode.LastToken,
    };

    private static readonly string[] Unsupported = ["pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens"];

    /// <summary>Parses a pooling name as written in deployment settings: cls, mean, max or lasttoken.</summary>
    public static PoolingMode ParseMode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "cls" => PoolingMode.Cls,
            "mean" => PoolingMode.Mean,
            "max" => PoolingMode.Max,
            "lasttoken" or "last" => PoolingMode.LastToken,
            _ => throw new ModelConfigException($"pooling '{name}' is not supported (cls, mean, max, lasttoken)"),
        };
    }

    /// <summary>The pooling the folder's sentence-transformers files describe, or <paramref name="fallback"/> when it has none.</summary>
    public static EmbeddingPooling FromFolder(string folder, EmbeddingPooling fallback)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(fallback);
        string modulesPath = Path.Combine(folder, "modules.json");
        if (!File.Exists(modulesPath))
        {
            return fallback;
        }

        using JsonDocument modules = Parse(modulesPath);
        string? poolingPath = null;
        bool normalize = false;
        foreach (JsonElement module in modules.RootElement.EnumerateArray())
        {
            string type = module.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
            string path = module.TryGetProperty("path", out JsonElement p) ? p.GetString() ?? string.Empty : string.Empty;
            switch (type)
            {
                case "sentence_transformers.models.Transformer":
                    break;
                case "sentence_transformers.models.Pooling":
                    poolingPath = Path.Combine(folder, path, "config.json");
                    break;
                case "sentence_transformers.models.Normalize":
                    normalize = true;
                    break;
                default:
                    throw new ModelConfigException($"{modulesPath}: module '{type}' is not supported (Transformer, Pooling, Normalize)");
            }
        }

        if (poolingPath is null)
        {
            throw new ModelConfigException($"{modulesPath}: no sentence_transformers.models.Pooling module");
        }

        return new EmbeddingPooling(ReadMode(poolingPath), normalize);
    }

    /// <summary>Pools <paramref name="tokens"/> rows of width <paramref name="width"/> from <paramref name="hidden"/> into <paramref name="destination"/>.</summary>
    public void Pool(ReadOnlySpan<float> hidden, int tokens, int width, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        var output = destination[..width];
        switch (Mode)
        {
            case PoolingMode.Cls:
                hidden[..width].CopyTo(output);
                break;
            case PoolingMode.LastToken:
                hidden.Slice((tokens - 1) * width, width).CopyTo(output);
                break;
            case PoolingMode.Mean:
                hidden[..width].CopyTo(output);
                for (int t = 1; t < tokens; t++)
                {
                    TensorPrimitives.Add(output, hidden.Slice(t * width, width), output);
                }

                TensorPrimitives.Divide(output, tokens, output);
                break;
            default:
                hidden[..width].CopyTo(output);
                for (int t = 1; t < tokens; t++)
                {
                    TensorPrimitives.Max(output, hidden.Slice(t * width, width), output);
                }

                break;
        }

        if (Normalize)
        {
            float norm = TensorPrimitives.Norm(output);
            if (norm > 0)
            {
                TensorPrimitives.Divide(output, norm, output);
            }
        }
    }

    private static PoolingMode ReadMode(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelConfigException($"{path}: the Pooling module's config.json is missing");
        }

        using JsonDocument config = Parse(path);
        var enabled = config.RootElement.EnumerateObject()
            .Where(p => p.Name.StartsWith("pooling_mode_", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.True)
            .Select(p => p.Name)
            .ToList();
        string? unsupported = enabled.FirstOrDefault(n => Unsupported.Contains(n) || !Modes.ContainsKey(n));
        if (unsupported is not null)
        {
            throw new ModelConfigException($"{path}: {unsupported} is not supported (cls_token, mean_tokens, max_tokens, lasttoken)");
        }

        return enabled.Count == 1
            ? Modes[enabled[0]]
            : throw new ModelConfigException($"{path}: exactly one pooling_mode_* must be true, found {enabled.Count} ({string.Join(", ", enabled)})");
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new ModelConfigException($"{path}: not valid JSON ({ex.Message})", ex);
        }
    }
}
