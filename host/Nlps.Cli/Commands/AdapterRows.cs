using System.Globalization;
using System.Text.Json;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary>The rows <c>nlpsctl models list</c> prints under a model for its LoRA adapters (<c>  └ base:name</c>, rank, alpha, targets).</summary>
internal static class AdapterRows
{
    public static IEnumerable<string[]> For(JsonElement model)
    {
        if (!model.TryGetProperty("adapters", out JsonElement adapters) || adapters.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        string id = model.GetProperty("id").GetString()!;
        foreach (JsonElement a in adapters.EnumerateArray())
        {
            string alpha = a.TryGetProperty("alpha", out JsonElement value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble().ToString(CultureInfo.InvariantCulture)
                : "8";
            bool rs = a.TryGetProperty("useRsLora", out JsonElement rsLora) && rsLora.ValueKind == JsonValueKind.True;
            string targets = string.Join(',', a.GetProperty("targetModules").EnumerateArray().Select(t => t.GetString()));
            long parameters = a.TryGetProperty("parameters", out JsonElement p) && p.ValueKind == JsonValueKind.Number ? p.GetInt64() : 0;
            yield return
            [
                $"  └ {id}:{a.GetProperty("name").GetString()}",
                $"lora r={a.GetProperty("rank").GetInt32()} alpha={alpha}{(rs ? " rslora" : string.Empty)}",
                targets,
                "-",
                parameters > 0 ? parameters.ToString("N0", CultureInfo.InvariantCulture) : "-",
                ByteSize.Format(a.GetProperty("weightBytes").GetInt64()),
                string.Empty,
            ];
        }
    }
}
