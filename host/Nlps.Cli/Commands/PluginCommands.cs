using System.CommandLine;
using System.Text.Json;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary><c>nlpsctl plugins list|install|uninstall|enable|disable|rollback</c>.</summary>
internal static class PluginCommands
{
    public static Command Create(GlobalOptions global)
    {
        var plugins = new Command("plugins", "Manage the appliance's agent plugins");

        var list = new Command("list", "List installed plugins with their state");
        list.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
            Render(result, global, await client.GetAsync("/v1/admin/plugins", ct))));
        plugins.Subcommands.Add(list);

        var packageArgument = new Argument<FileInfo>("package") { Description = "The .nlpkg file" };
        var install = new Command("install", "Upload and install a .nlpkg (upgrades when the plugin is installed)") { packageArgument };
        install.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var file = result.GetValue(packageArgument)!;
            if (!file.Exists)
            {
                throw new Client.AdminApiException("file_missing", $"{file.FullName} does not exist", exitCode: 2);
            }

            await using var stream = file.OpenRead();
            var bar = ProgressBar.ForConsole("upload", file.Length);
            var status = await client.UploadAsync("/v1/admin/plugins", stream, file.Length, bar, ct);
            bar.Complete();
            return Render(result, global, status);
        }));
        plugins.Subcommands.Add(install);

        plugins.Subcommands.Add(Action(global, "enable", "Switch a plugin on and start it", id => $"/v1/admin/plugins/{id}/enable", HttpMethod.Post));
        plugins.Subcommands.Add(Action(global, "disable", "Stop a plugin and switch it off", id => $"/v1/admin/plugins/{id}/disable", HttpMethod.Post));
        plugins.Subcommands.Add(Action(global, "rollback", "Go back to the version installed before the active one", id => $"/v1/admin/plugins/{id}/rollback", HttpMethod.Post));

        var idArgument = new Argument<string>("id") { Description = "The plugin id" };
        var purge = new Option<bool>("--purge") { Description = "Also delete the agent's data and store" };
        var uninstall = new Command("uninstall", "Stop a plugin and remove every installed version") { idArgument, purge };
        uninstall.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
            Render(result, global, await client.DeleteAsync($"/v1/admin/plugins/{Uri.EscapeDataString(result.GetValue(idArgument)!)}?purge={(result.GetValue(purge) ? "true" : "false")}", ct))));
        plugins.Subcommands.Add(uninstall);
        return plugins;
    }

    private static Command Action(GlobalOptions global, string name, string description, Func<string, string> path, HttpMethod method)
    {
        var idArgument = new Argument<string>("id") { Description = "The plugin id" };
        var command = new Command(name, description) { idArgument };
        command.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var id = Uri.EscapeDataString(result.GetValue(idArgument)!);
            var status = method == HttpMethod.Post ? await client.PostAsync(path(id), ct) : await client.DeleteAsync(path(id), ct);
            return Render(result, global, status);
        }));
        return command;
    }

    private static int Render(ParseResult result, GlobalOptions global, JsonElement body)
    {
        if (result.GetValue(global.Json))
        {
            Console.WriteLine(JsonOutput.Format(body));
            return 0;
        }

        var rows = body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().ToList() : [body];
        if (rows.Count > 0 && rows[0].TryGetProperty("id", out _) && rows[0].TryGetProperty("state", out _))
        {
            Table.Write(Console.Out, ["ID", "VERSION", "STATE", "REASON"], rows.Select(r => new[]
            {
                Text(r, "id"),
                Text(r, "version"),
                Text(r, "state"),
                Text(r, "reason"),
            }));
        }
        else
        {
            Console.WriteLine(JsonOutput.Format(body));
        }

        return 0;
    }

    private static string Text(JsonElement row, string property) =>
        row.TryGetProperty(property, out var value) ? value.ToString() : string.Empty;
}
