using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Nlps.Plugins.Management;

/// <summary>Turns an agent's configuration section (<c>Agents:{id}</c>) into the JSON object the agent reads.</summary>
internal static class AgentConfiguration
{
    public const string SectionName = "Agents";

    public static JsonElement Read(IConfiguration configuration, string pluginId)
    {
        var section = configuration.GetSection(SectionName).GetSection(pluginId);
        var node = ToNode(section) ?? new JsonObject();
        return JsonSerializer.SerializeToElement(node, AgentConfigurationJson.Default.JsonNode);
    }

    // Configuration flattens JSON to strings: numbers, booleans and arrays come back as text and index keys.
    // Values are restored to the JSON types they most plausibly had; sections whose keys are 0..n-1 become arrays.
    private static JsonNode? ToNode(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : Scalar(section.Value);
        }

        var isArray = children.Select((c, i) => c.Key == i.ToString(CultureInfo.InvariantCulture)).All(match => match);
        if (isArray)
        {
            var array = new JsonArray();
            foreach (var child in children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
            {
                array.Add(ToNode(child));
            }

            return array;
        }

        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = ToNode(child);
        }

        return obj;
    }

    private static JsonNode Scalar(string value)
    {
        if (bool.TryParse(value, out var flag))
        {
            return JsonValue.Create(flag);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class AgentConfigurationJson : System.Text.Json.Serialization.JsonSerializerContext;
