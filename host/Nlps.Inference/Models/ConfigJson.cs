using System.Text.Json;

namespace Nlps.Inference.Models;

/// <summary>Typed reads of config.json keys; a wrong type or a missing required key is a <see cref="ModelConfigException"/> naming the file and key.</summary>
internal static class ConfigJson
{
    public static T Missing<T>(string key, string origin) => throw new ModelConfigException($"{origin}: '{key}' is missing");

    public static int Positive(int value, string key, string origin) =>
        value > 0 ? value : throw new ModelConfigException($"{origin}: '{key}' must be positive, not {value}");

    public static string? String(JsonElement e, string key, string origin) =>
        !e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw new ModelConfigException($"{origin}: '{key}' must be a string");

    public static int? Int(JsonElement e, string key, string origin) =>
        !e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i
        : throw new ModelConfigException($"{origin}: '{key}' must be an integer");

    public static double? Double(JsonElement e, string key, string origin) =>
        !e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number ? v.GetDouble()
        : throw new ModelConfigException($"{origin}: '{key}' must be a number");

    public static bool? Bool(JsonElement e, string key, string origin) =>
        !e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw new ModelConfigException($"{origin}: '{key}' must be true or false");

    public static int[] Ids(JsonElement e, string key, string origin)
    {
        if (!e.TryGetProperty(key, out JsonElement v) || v.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int single))
        {
            return [single];
        }

        if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out _)))
        {
            return v.EnumerateArray().Select(x => x.GetInt32()).ToArray();
        }

        throw new ModelConfigException($"{origin}: '{key}' must be an id or a list of ids");
    }
}
