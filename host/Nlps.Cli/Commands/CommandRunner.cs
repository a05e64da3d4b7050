using System.CommandLine;
using Nlps.Cli.Client;

namespace Nlps.Cli.Commands;

/// <summary>Runs a command that talks to nlpsd and turns failures into one line on stderr and an exit code.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(ParseResult result, GlobalOptions global, Func<AdminClient, Task<int>> action)
    {
        try
        {
            using var client = global.Connect(result);
            return await action(client);
        }
        catch (AdminApiException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Code}: {ex.Message}");
            return ex.ExitCode;
        }
    }
}
