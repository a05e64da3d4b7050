using System.Text.Json;

namespace Nlps.Formats.Safetensors;

/// <summary>
/// Reads <c>model.safetensors.index.json</c> of a sharded checkpoint: its <c>weight_map</c> from tensor name to shard
/// file. Shard names must be plain file names inside the model folder.
/// </summary>
public static class SafetensorsIndex
{
    public const string FileName = "model.safetensors.index.json";

    /// <summary>Parses the index JSON; <paramref name="origin"/> names the file in errors.</summary>
    public static IReadOnlyDictionary<string, string> ParseWeightMap(string json, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out JsonElement weightMap)
                || weightMap.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException($"{origin}: 'weight_map' is missing");
            }

            foreach (JsonProperty entry in weightMap.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    throw new SafetensorsFormatException($"{origin}: '{entry.Name}' maps to no file");
                }

                string file = entry.Value.GetString()!;
                if (file.Length == 0 || file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal) || file.StartsWith('.'))
                {
                    throw new SafetensorsFormatException($"{origin}: shard name '{file}' leaves the model folder");
                }

                map[entry.Name] = file;
            }
        }
        catch (JsonException ex)
        {
            throw new SafetensorsFormatException($"{origin}: not valid JSON ({ex.Message})", ex);
        }

        return map;
    }

    /// <summary>
    /// The shard files of a model folder, sorted: those named by the index when there is one (each must exist), else
    /// every <c>*.safetensors</c> file. A folder with neither is an error.
    /// </summary>
    public static IReadOnlyList<string> ShardPaths(string folder, IReadOnlyDictionary<string, string>? weightMap)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (weightMap is null)
        {
            string[] files = Directory.GetFiles(folder, "*.safetensors");
            Array.Sort(files, StringComparer.Ordinal);
            return files.Length > 0 ? files : throw new SafetensorsFormatException($"{folder}: no *.safetensors files");
        }

        var paths = new List<string>();
        foreach (string shard in new SortedSet<string>(weightMap.Values, StringComparer.Ordinal))
        {
            string path = Path.Combine(folder, shard);
            if (!File.Exists(path))
            {
                throw new SafetensorsFormatException($"{folder}: shard '{shard}' named in {FileName} is missing");
            }

            paths.Add(path);
        }

        return paths;
    }
}
