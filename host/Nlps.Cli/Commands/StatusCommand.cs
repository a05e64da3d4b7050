using System.CommandLine;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary><c>nlpsctl status</c>: the appliance's version, SDK and plugin counts.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions global)
    {
        var status = new Command("status", "Show the appliance's version, state folder and plugin counts");
        status.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            var body = await client.GetAsync("/v1/admin/status", ct);
            if (result.GetValue(global.Json))
            {
                Console.WriteLine(JsonOutput.Format(body));
                return 0;
            }

            foreach (var property in body.EnumerateObject())
            {
                Console.WriteLine($"{property.Name,-16} {property.Value}");
            }

            return 0;
        }));
        return status;
    }
}
