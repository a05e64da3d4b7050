using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nlps.Plugins.Configuration;

/// <summary>
/// Checks a configuration value against the subset of JSON Schema a plugin's <c>configSchema</c> may use:
/// <c>type</c> (one or a list), <c>properties</c>, <c>required</c>, <c>additionalProperties</c> (false or a schema),
/// <c>items</c>, <c>enum</c>, <c>minimum</c>/<c>maximum</c>, <c>minLength</c>/<c>maxLength</c> (in Unicode code
/// points, as JSON Schema counts), <c>minItems</c>/<c>maxItems</c> and <c>pattern</c>; an <c>integer</c> is written
/// without fraction or exponent and fits in 64 bits. <c>default</c>,
/// <c>title</c> and <c>description</c> are annotations for the console's editor and change nothing here; other
/// keywords are ignored. Every error is reported, not just the first.
/// </summary>
public static class ConfigSchemaValidator
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Every place where <paramref name="value"/> breaks <paramref name="schema"/>, in document order; empty when it fits.</summary>
    /// <param name="schema">The schema (an object; anything else accepts every value).</param>
    /// <param name="value">The configuration.</param>
    public static IReadOnlyList<ConfigError> Validate(JsonElement schema, JsonElement value)
    {
        var errors = new List<ConfigError>();
        Check(schema, value, "$", errors);
        return errors;
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<ConfigError> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, value))
        {
            errors.Add(new ConfigError(path, "type", TypeText(type), $"must be {TypeText(type)}, not {KindName(value)}"));
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(option => JsonElement.DeepEquals(option, value)))
        {
            var options = string.Join(", ", allowed.EnumerateArray().Select(option => option.GetRawText()));
            errors.Add(new ConfigError(path, "enum", options, "must be one of " + options));
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, value, path, errors);
                break;
            case JsonValueKind.Array:
                CheckArray(schema, value, path, errors);
                break;
            case JsonValueKind.String:
                CheckString(schema, value.GetString()!, path, errors);
                break;
            case JsonValueKind.Number:
                // Beyond double's range the value is an infinity for the bounds.
                CheckNumber(schema, value.TryGetDouble(out var number) ? number : value.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity, path, errors);
                break;
        }
    }

    private static void CheckObject(JsonElement schema, JsonElement value, string path, List<ConfigError> errors)
    {
        var properties = schema.TryGetProperty("properties", out var declared) && declared.ValueKind == JsonValueKind.Object ? declared : default;
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add(new ConfigError(Member(path, name), "required", name, "is required"));
                }
            }
        }

        var additional = schema.TryGetProperty("additionalProperties", out var extra) ? extra : default;
        foreach (var property in value.EnumerateObject())
        {
            var at = Member(path, property.Name);
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, at, errors);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                errors.Add(new ConfigError(at, "additionalProperties", "false", "is not a known setting (the schema allows no other properties)"));
            }
            else
            {
                Check(additional, property.Value, at, errors);
            }
        }
    }

    private static void CheckArray(JsonElement schema, JsonElement value, string path, List<ConfigError> errors)
    {
        var count = value.GetArrayLength();
        if (Limit(schema, "minItems") is { } minItems && count < minItems)
        {
            errors.Add(new ConfigError(path, "minItems", Text(minItems), $"must have at least {Text(minItems)} items, not {count}"));
        }

        if (Limit(schema, "maxItems") is { } maxItems && count > maxItems)
        {
            errors.Add(new ConfigError(path, "maxItems", Text(maxItems), $"must have at most {Text(maxItems)} items, not {count}"));
        }

        if (schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), errors);
            }
        }
    }

    private static void CheckString(JsonElement schema, string value, string path, List<ConfigError> errors)
    {
        var length = value.EnumerateRunes().Count();
        if (Limit(schema, "minLength") is { } minLength && length < minLength)
        {
            errors.Add(new ConfigError(path, "minLength", Text(minLength), $"must be at least {Text(minLength)} characters long, not {length}"));
        }

        if (Limit(schema, "maxLength") is { } maxLength && length > maxLength)
        {
            errors.Add(new ConfigError(path, "maxLength", Text(maxLength), $"must be at most {Text(maxLength)} characters long, not {length}"));
        }

        if (schema.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String && !Matches(pattern.GetString()!, value))
        {
            errors.Add(new ConfigError(path, "pattern", pattern.GetString()!, $"must match the pattern {pattern.GetString()}"));
        }
    }

    private static void CheckNumber(JsonElement schema, double value, string path, List<ConfigError> errors)
    {
        if (Limit(schema, "minimum") is { } minimum && value < minimum)
        {
            errors.Add(new ConfigError(path, "minimum", Text(minimum), $"must be at least {Text(minimum)}, not {Text(value)}"));
        }

        if (Limit(schema, "maximum") is { } maximum && value > maximum)
        {
            errors.Add(new ConfigError(path, "maximum", Text(maximum), $"must be at most {Text(maximum)}, not {Text(value)}"));
        }
    }

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            // A pattern .NET cannot read accepts nothing, so the plugin's author finds out instead of the check vanishing.
            return false;
        }
    }

    private static bool MatchesType(JsonElement type, JsonElement value) => type.ValueKind switch
    {
        JsonValueKind.String => IsOfType(type.GetString()!, value),
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && IsOfType(t.GetString()!, value)),
        _ => true,
    };

    private static bool IsOfType(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsWhole(value),
        _ => false,
    };

    // Stricter than JSON Schema, which counts 2.0 as an integer: agents read integer settings into int or long, and
    // System.Text.Json refuses 2.0 there, so only what such a setting can hold passes.
    private static bool IsWhole(JsonElement number) => number.TryGetInt64(out _);

    private static string TypeText(JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? string.Join(" or ", type.EnumerateArray().Select(t => t.ToString()))
        : type.ToString();

    private static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => IsWhole(value) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static double? Limit(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var limit) && limit.ValueKind == JsonValueKind.Number ? limit.GetDouble() : null;

    private static string Text(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    private static string Member(string path, string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";
}
