namespace Nlps.Daemon.Configuration;

/// <summary>Finds the configuration file: <c>--config PATH</c>, else <c>NLPS_CONFIG</c>, else <c>/etc/nlps/nlps.json</c>.</summary>
internal static class ConfigurationFile
{
    public const string DefaultPath = "/etc/nlps/nlps.json";

    /// <summary>The path and whether it was asked for explicitly (an explicit file must exist).</summary>
    public static (string Path, bool Explicit) Locate(string[] args, Func<string, string?> environment)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                return (System.IO.Path.GetFullPath(args[i + 1]), true);
            }

            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return (System.IO.Path.GetFullPath(args[i]["--config=".Length..]), true);
            }
        }

        var fromEnvironment = environment("NLPS_CONFIG");
        return string.IsNullOrEmpty(fromEnvironment) ? (DefaultPath, false) : (System.IO.Path.GetFullPath(fromEnvironment), true);
    }

    /// <summary>The arguments without <c>--config</c>, for the command-line configuration source.</summary>
    public static string[] WithoutConfigArgument(string[] args)
    {
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
            {
                i++;
                continue;
            }

            if (!args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                rest.Add(args[i]);
            }
        }

        return [.. rest];
    }
}
