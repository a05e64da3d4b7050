using System.CommandLine;
using System.Text;
using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl admins create|list|delete|unlock</c>: console administrator accounts, managed with the admin token
/// (provisioning, a second administrator, a locked-out one). Deleting the last account is refused by nlpsd. The password is read from standard input when it is redirected, else prompted twice
/// without echo; it is never a command-line argument (that would leave it in shell history and /proc).
/// </summary>
internal static class AdminCommands
{
    public static Command Create(GlobalOptions global)
    {
        var admins = new Command("admins", "Manage console administrator accounts");

        var username = new Argument<string>("username") { Description = "The login name" };
        var create = new Command("create", "Create an account; the password comes from stdin (one line) or a prompt") { username };
        create.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var password = ReadPassword();
            var body = JsonSerializer.Serialize(new Dictionary<string, string?> { ["username"] = result.GetValue(username), ["password"] = password });
            var account = await client.PostJsonAsync("/v1/admin/accounts", body, ct);
            Console.WriteLine(result.GetValue(global.Json) ? JsonOutput.Format(account) : $"created {account.GetProperty("username").GetString()}");
            return 0;
        }));
        admins.Subcommands.Add(create);

        var list = new Command("list", "List accounts (never their passwords)");
        list.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var accounts = await client.GetAsync("/v1/admin/accounts", ct);
            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(accounts));
                return 0;
            }

            Table.Write(Console.Out, ["USERNAME", "CREATED BY", "PASSWORD SET", "LAST LOGIN", "LOCKED UNTIL"], accounts.EnumerateArray().Select(a => new[]
            {
                a.GetProperty("username").GetString()!,
                a.GetProperty("createdBy").GetString()!,
                a.GetProperty("passwordSetAt").ToString(),
                a.TryGetProperty("lastLoginAt", out var login) ? login.ToString() : "-",
                a.TryGetProperty("lockedUntil", out var locked) ? locked.ToString() : "-",
            }));
            return 0;
        }));
        admins.Subcommands.Add(list);

        var delete = new Command("delete", "Delete an account (its sessions end; the last account cannot be deleted)") { username };
        delete.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            await client.DeleteAsync($"/v1/admin/accounts/{Uri.EscapeDataString(result.GetValue(username)!)}", ct);
            Console.WriteLine($"deleted {result.GetValue(username)}");
            return 0;
        }));
        admins.Subcommands.Add(delete);

        var unlock = new Command("unlock", "End an account's lockout after repeated wrong passwords") { username };
        unlock.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            await client.PostAsync($"/v1/admin/accounts/{Uri.EscapeDataString(result.GetValue(username)!)}/unlock", ct);
            Console.WriteLine($"unlocked {result.GetValue(username)}");
            return 0;
        }));
        admins.Subcommands.Add(unlock);
        return admins;
    }

    private static string ReadPassword()
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? throw new AdminApiException("no_password", "standard input is empty; send the password as one line", exitCode: 2);
        }

        var first = Prompt("Password: ");
        var second = Prompt("Again:    ");
        return first == second ? first : throw new AdminApiException("password_mismatch", "the two passwords differ", exitCode: 2);
    }

    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
