using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl deployments list|load|unload|pin|unpin</c>: what the model scheduler holds in memory, and an operator's
/// hand on it (load before the first request, free memory now, keep a model resident).
/// </summary>
internal static class DeploymentCommands
{
    public static Command Create(GlobalOptions global)
    {
        var deployments = new Command("deployments", "Model deployments: residency, memory, load / unload / pin");

        var list = new Command("list", "Each deployment's state, requests and memory, and the memory budget");
        list.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            JsonElement body = await client.GetAsync("/v1/admin/deployments", ct);
            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(body));
            }
            else
            {
                Render(Console.Out, body);
            }

            return 0;
        }));
        deployments.Subcommands.Add(list);
        foreach ((string action, string description) in new[]
        {
            ("load", "Load a deployment now so its first request does not wait (it stays until its keep-alive ends)"),
            ("unload", "Unload an idle, unpinned deployment now"),
            ("pin", "Load a deployment and keep it resident (never evicted)"),
            ("unpin", "Let a pinned deployment be evicted and unloaded when idle again"),
        })
        {
            var name = new Argument<string>("name") { Description = "The deployment (Models:Deployments:<name>)" };
            var command = new Command(action, description) { name };
            command.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
            {
                JsonElement status = await client.PostAsync($"/v1/admin/deployments/{Uri.EscapeDataString(result.GetValue(name)!)}/{action}", ct);
                Console.WriteLine(result.GetValue(global.Json)
                    ? JsonOutput.Format(status)
                    : $"{status.GetProperty("id").GetString()}: {status.GetProperty("state").GetString()!.ToLowerInvariant()}{(status.GetProperty("pinned").GetBoolean() ? ", pinned" : string.Empty)}");
                return 0;
            }));
            deployments.Subcommands.Add(command);
        }

        return deployments;
    }

    internal static void Render(TextWriter output, JsonElement body)
    {
        JsonElement[] all = body.GetProperty("deployments").EnumerateArray().ToArray();
        Table.Write(output, ["DEPLOYMENT", "MODEL", "STATE", "ENGINE", "PINNED", "ACTIVE", "WAITING", "MEMORY", "LOADS", "EVICTIONS"], all.Select(d => new[]
        {
            d.GetProperty("id").GetString()!,
            d.GetProperty("modelId").GetString()!,
            d.GetProperty("state").GetString()!.ToLowerInvariant(),
            d.TryGetProperty("engine", out JsonElement engine) && engine.ValueKind == JsonValueKind.Object
                ? $"{engine.GetProperty("kind").GetString()} {engine.GetProperty("state").GetString()!.ToLowerInvariant()}"
                : "-",
            d.GetProperty("pinned").GetBoolean() ? "yes" : "no",
            d.GetProperty("active").ToString(),
            d.GetProperty("waiting").ToString(),
            string.Join(", ", d.GetProperty("bytesPerDevice").EnumerateObject().Select(b => $"{b.Name} {ByteSize.Format(b.Value.GetInt64())}")),
            d.GetProperty("loads").ToString(),
            d.GetProperty("evictions").ToString(),
        }));
        foreach (JsonElement d in all)
        {
            if (d.TryGetProperty("engine", out JsonElement engine) && engine.ValueKind == JsonValueKind.Object && engine.GetProperty("detail").GetString() is { Length: > 0 } detail)
            {
                output.WriteLine($"{d.GetProperty("id").GetString()}: {detail}");
            }
        }

        output.WriteLine();
        Table.Write(output, ["DEVICE", "BUDGET", "HELD"], body.GetProperty("devices").EnumerateArray().Select(d => new[]
        {
            d.GetProperty("deviceId").GetString()!,
            ByteSize.Format(d.GetProperty("capacityBytes").GetInt64()),
            ByteSize.Format(d.GetProperty("heldBytes").GetInt64()),
        }));
        JsonElement[] events = body.GetProperty("events").EnumerateArray().TakeLast(10).ToArray();
        if (events.Length > 0)
        {
            output.WriteLine();
            foreach (JsonElement e in events)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.GetProperty("at").GetDateTimeOffset():u}  {e.GetProperty("kind").GetString()}  {e.GetProperty("deploymentId").GetString()}  {e.GetProperty("detail").GetString()}"));
            }
        }
    }
}
