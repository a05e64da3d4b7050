using System.Text;

namespace Nlps.Models.Engines.Processes;

/// <summary>How to start one engine process: the executable, its arguments, extra environment, and the loopback port it serves on.</summary>
public sealed record EngineCommand(string Executable, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, int Port)
{
    /// <summary>The command as a shell line (environment first), for logs and the admin view; arguments with spaces are quoted.</summary>
    public override string ToString()
    {
        var line = new StringBuilder();
        foreach ((string name, string value) in Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            line.Append(name).Append('=').Append(Quote(value)).Append(' ');
        }

        line.Append(Quote(Executable));
        foreach (string argument in Arguments)
        {
            line.Append(' ').Append(Quote(argument));
        }

        return line.ToString();
    }

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@+".Contains(c, StringComparison.Ordinal))
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
