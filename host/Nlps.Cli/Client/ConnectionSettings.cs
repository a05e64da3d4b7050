namespace Nlps.Cli.Client;

/// <summary>
/// Where nlpsd is and how to authenticate: <c>--url</c> / <c>NLPS_URL</c> (default http://127.0.0.1:5080) and
/// <c>--token</c> / <c>NLPS_ADMIN_TOKEN</c>, else the token file (<c>--token-file</c>, else <c>./.nlps/admin.token</c>,
/// else <c>/var/lib/nlps/admin.token</c>).
/// </summary>
internal sealed record ConnectionSettings(Uri Url, string Token)
{
    public static readonly string[] TokenFileCandidates = [Path.Combine(".nlps", "admin.token"), "/var/lib/nlps/admin.token"];

    public static ConnectionSettings Resolve(string? url, string? token, string? tokenFile, Func<string, string?> environment)
    {
        var address = url ?? environment("NLPS_URL") ?? "http://127.0.0.1:5080";
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            throw new AdminApiException("invalid_url", $"'{address}' is not an absolute URL", exitCode: 2);
        }

        var resolved = token ?? environment("NLPS_ADMIN_TOKEN") ?? ReadTokenFile(tokenFile);
        return new ConnectionSettings(uri, resolved);
    }

    private static string ReadTokenFile(string? explicitFile)
    {
        var candidates = explicitFile is null ? TokenFileCandidates : [explicitFile];
        foreach (var file in candidates)
        {
            try
            {
                if (File.Exists(file))
                {
                    return File.ReadAllText(file).Trim();
                }
            }
            catch (UnauthorizedAccessException)
            {
                throw new AdminApiException("token_unreadable", $"cannot read the admin token file {file}: run as its owner (e.g. sudo -u nlps) or pass --token", exitCode: 2);
            }
        }

        throw new AdminApiException("token_missing", $"no admin token: pass --token, set NLPS_ADMIN_TOKEN, or run where {string.Join(" or ", candidates)} exists", exitCode: 2);
    }
}
