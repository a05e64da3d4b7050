using System.Text.RegularExpressions;

namespace Nlps.Agents.Chatbot.Extraction;

internal static partial class Whitespace
{
    public static string Collapse(string text) => Runs().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Runs();
}
