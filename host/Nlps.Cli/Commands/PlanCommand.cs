using System.CommandLine;
using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Cli.Output;
using Nlps.Provisioning.Profiles;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl plan FILE</c>: a what-if placement of the deployments in FILE (YAML or JSON, the body of
/// <c>POST /v1/admin/plan</c>) on the appliance's hardware. Exit 0 when every deployment fits, 4 when one does not.
/// </summary>
internal static class PlanCommand
{
    public const int SomeRefused = 4;

    public static Command Create(GlobalOptions global)
    {
        var file = new Argument<FileInfo>("file") { Description = "Deployments as YAML (.yaml/.yml) or JSON" };
        var plan = new Command("plan", "Place deployments on the appliance's GPUs without loading anything (what-if)") { file };
        plan.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            string json = ReadPlanFile(result.GetValue(file)!);
            JsonElement body = await client.PostJsonAsync("/v1/admin/plan", json, ct);
            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(body));
            }
            else
            {
                Render(Console.Out, body);
            }

            return body.GetProperty("outcomes").EnumerateArray().All(o => o.TryGetProperty("placement", out _)) ? 0 : SomeRefused;
        }));
        return plan;
    }

    internal static string ReadPlanFile(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new AdminApiException("file_missing", $"{file.FullName} does not exist", exitCode: 2);
        }

        string text = File.ReadAllText(file.FullName);
        try
        {
            return file.Extension.ToLowerInvariant() is ".yaml" or ".yml" ? YamlToJson.Convert(text) : text;
        }
        catch (FormatException ex)
        {
            throw new AdminApiException("invalid_plan_file", $"{file.FullName}: {ex.Message}", exitCode: 2);
        }
    }

    internal static void Render(TextWriter output, JsonElement body)
    {
        if (body.GetProperty("simulated").GetBoolean())
        {
            output.WriteLine($"SIMULATED: planned on recorded box {body.GetProperty("simulatedFrom").GetString()}");
        }

        var rows = new List<string[]>();
        var refusals = new List<JsonElement>();
        foreach (JsonElement outcome in body.GetProperty("outcomes").EnumerateArray())
        {
            string id = outcome.GetProperty("deploymentId").GetString()!;
            if (outcome.TryGetProperty("placement", out JsonElement p))
            {
                JsonElement b = p.GetProperty("perDevice");
                rows.Add([
                    id,
                    "placed",
                    string.Join(",", p.GetProperty("devices").EnumerateArray().Select(d => d.GetString())),
                    p.GetProperty("tensorParallel").ToString(),
                    ByteSize.Format(b.GetProperty("totalBytes").GetInt64()),
                    $"w {ByteSize.Format(b.GetProperty("weightBytes").GetInt64())}, kv {ByteSize.Format(b.GetProperty("kvCacheBytes").GetInt64())}, ws {ByteSize.Format(b.GetProperty("workspaceBytes").GetInt64())}",
                    $"{p.GetProperty("kvTokensReserved")} / {p.GetProperty("kvTokensCapacity")}",
                ]);
            }
            else
            {
                JsonElement refusal = outcome.GetProperty("refusal");
                refusals.Add(outcome);
                rows.Add([id, "REFUSED", "-", "-", "-", refusal.GetProperty("reason").GetString()!, "-"]);
            }
        }

        Table.Write(output, ["DEPLOYMENT", "RESULT", "DEVICES", "TP", "PER DEVICE", "BREAKDOWN", "KV TOKENS (reserved / room)"], rows);
        foreach (JsonElement outcome in refusals)
        {
            JsonElement refusal = outcome.GetProperty("refusal");
            output.WriteLine();
            output.WriteLine($"{outcome.GetProperty("deploymentId").GetString()}: {refusal.GetProperty("message").GetString()}");
            foreach (JsonElement suggestion in refusal.GetProperty("suggestions").EnumerateArray())
            {
                output.WriteLine($"  try: {suggestion.GetProperty("change").GetString()}");
            }
        }

        output.WriteLine();
        Table.Write(output, ["DEVICE", "FREE", "RESERVE", "PLANNED", "LEFT"], body.GetProperty("devices").EnumerateArray().Select(d => new[]
        {
            d.GetProperty("deviceId").GetString()!,
            ByteSize.Format(d.GetProperty("availableBytes").GetInt64()),
            ByteSize.Format(d.GetProperty("reserveBytes").GetInt64()),
            ByteSize.Format(d.GetProperty("plannedBytes").GetInt64()),
            ByteSize.Format(d.GetProperty("remainingBytes").GetInt64()),
        }));
    }
}
