using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl apikeys create|list|revoke</c>: API keys for the agent API. Named <c>apikeys</c> because
/// <c>nlpsctl keys</c> already means package signing keys (<c>keys generate</c>), which scripts use.
/// </summary>
internal static class ApiKeyCommands
{
    public static Command Create(GlobalOptions global)
    {
        var apikeys = new Command("apikeys", "Manage API keys for the agent API");

        var name = new Option<string>("--name") { Description = "A name for people", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "What it may call: agent/operation, agent/*, *, metrics, models (the OpenAI-compatible API) or models:<deployment> (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = false };
        var expires = new Option<string?>("--expires") { Description = "When it stops working: 30d, 12h, 90m, or an ISO 8601 time (default: never)" };
        var rate = new Option<int?>("--rate") { Description = "Requests a minute (default: the appliance's ApiKeys:DefaultRequestsPerMinute)" };
        var create = new Command("create", "Create a key; its text is printed once and cannot be shown again") { name, scopes, expires, rate };
        create.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var expiresAt = ParseExpiry(result.GetValue(expires), TimeProvider.System.GetUtcNow());
            var body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["name"] = result.GetValue(name),
                ["scopes"] = result.GetValue(scopes),
                ["expiresAt"] = expiresAt?.ToString("O", CultureInfo.InvariantCulture),
                ["requestsPerMinute"] = result.GetValue(rate),
            });
            var created = await client.PostJsonAsync("/v1/admin/api-keys", body, ct);
            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(created));
                return 0;
            }

            var key = created.GetProperty("apiKey");
            Console.WriteLine($"id       {key.GetProperty("id").GetString()}");
            Console.WriteLine($"scopes   {string.Join(' ', key.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()))}");
            Console.WriteLine($"expires  {(key.TryGetProperty("expiresAt", out var at) ? at.ToString() : "never")}");
            Console.WriteLine($"limit    {key.GetProperty("requestsPerMinute").GetInt32()} requests a minute");
            Console.WriteLine();
            Console.WriteLine(created.GetProperty("key").GetString());
            Console.Error.WriteLine("This key is shown once; store it now (the appliance keeps only its hash).");
            return 0;
        }));
        apikeys.Subcommands.Add(create);

        var list = new Command("list", "List keys (never their secrets)");
        list.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var keys = await client.GetAsync("/v1/admin/api-keys", ct);
            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(keys));
                return 0;
            }

            Table.Write(Console.Out, ["ID", "NAME", "STATE", "SCOPES", "RPM", "EXPIRES", "LAST USED"], keys.EnumerateArray().Select(k => new[]
            {
                k.GetProperty("id").GetString()!,
                k.GetProperty("name").GetString()!,
                k.GetProperty("state").GetString()!,
                string.Join(' ', k.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())),
                k.GetProperty("requestsPerMinute").ToString(),
                k.TryGetProperty("expiresAt", out var e) ? e.ToString() : "never",
                k.TryGetProperty("lastUsedAt", out var u) ? u.ToString() : "-",
            }));
            return 0;
        }));
        apikeys.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "The key id (the 12 hex digits after nlps_)" };
        var revoke = new Command("revoke", "Revoke a key at once; it stays listed as revoked") { id };
        revoke.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var key = await client.DeleteAsync($"/v1/admin/api-keys/{Uri.EscapeDataString(result.GetValue(id)!)}", ct);
            Console.WriteLine(result.GetValue(global.Json) ? JsonOutput.Format(key) : $"revoked {key.GetProperty("id").GetString()}");
            return 0;
        }));
        apikeys.Subcommands.Add(revoke);
        return apikeys;
    }

    /// <summary>An absolute expiry from <c>30d</c>/<c>12h</c>/<c>90m</c> (relative to <paramref name="now"/>) or an ISO 8601 time.</summary>
    internal static DateTimeOffset? ParseExpiry(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Length > 1 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (text[^1])
            {
                case 'd': return now.AddDays(amount);
                case 'h': return now.AddHours(amount);
                case 'm': return now.AddMinutes(amount);
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new AdminApiException("invalid_expiry", $"--expires '{text}' is neither 30d/12h/90m nor an ISO 8601 time", exitCode: 2);
    }
}
