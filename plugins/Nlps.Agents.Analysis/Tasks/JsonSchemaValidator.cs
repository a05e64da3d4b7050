using System.Globalization;
using System.Text.Json;

namespace Nlps.Agents.Analysis.Tasks;

/// <summary>
/// Checks a JSON value against the subset of JSON Schema the task catalogue uses: type (object, array, string,
/// number, integer, boolean), required, properties, items, enum, minItems, maxItems, minLength. Returns the first
/// violation with its JSON path, or null.
/// </summary>
public static class JsonSchemaValidator
{
    public static string? Validate(JsonElement value, JsonElement schema, string path = "$")
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && !HasType(value, type.GetString()!))
        {
            return $"{path} must be {type.GetString()}, not {value.ValueKind.ToString().ToLowerInvariant()}";
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            return $"{path} must be one of {allowed.GetRawText()}";
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (schema.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    {
                        if (!value.TryGetProperty(name, out _))
                        {
                            return $"{path}.{name} is required";
                        }
                    }
                }

                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        if (value.TryGetProperty(property.Name, out var child) && Validate(child, property.Value, $"{path}.{property.Name}") is { } error)
                        {
                            return error;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                if (schema.TryGetProperty("minItems", out var min) && count < min.GetInt32())
                {
                    return $"{path} must have at least {min.GetInt32()} items";
                }

                if (schema.TryGetProperty("maxItems", out var max) && count > max.GetInt32())
                {
                    return $"{path} must have at most {max.GetInt32()} items";
                }

                if (schema.TryGetProperty("items", out var items))
                {
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (Validate(item, items, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } error)
                        {
                            return error;
                        }
                    }
                }

                break;
            case JsonValueKind.String:
                if (schema.TryGetProperty("minLength", out var minLength) && value.GetString()!.Length < minLength.GetInt32())
                {
                    return $"{path} must be at least {minLength.GetInt32()} characters";
                }

                break;
        }

        return null;
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };
}
