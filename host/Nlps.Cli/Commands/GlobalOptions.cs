using System.CommandLine;
using Nlps.Cli.Client;

namespace Nlps.Cli.Commands;

/// <summary>Options every command that talks to nlpsd understands.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url") { Description = "nlpsd's address (default $NLPS_URL or http://127.0.0.1:5080)", Recursive = true };

    public Option<string?> Token { get; } = new("--token") { Description = "The admin token (default $NLPS_ADMIN_TOKEN or the state folder's admin.token)", Recursive = true };

    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "A file holding the admin token", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the API's JSON instead of a table", Recursive = true };

    public AdminClient Connect(ParseResult result)
    {
        var settings = ConnectionSettings.Resolve(result.GetValue(Url), result.GetValue(Token), result.GetValue(TokenFile), Environment.GetEnvironmentVariable);
        return AdminClient.Create(settings.Url, settings.Token);
    }
}
