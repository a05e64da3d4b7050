using System.Globalization;
using System.Text.RegularExpressions;

namespace Nlps.Agents.Translator.Translation;

/// <summary>Reads a batch reply of lines <c>[n] translation</c>; null unless every number 1..count appears exactly once.</summary>
internal static partial class BatchReplyParser
{
    public static string[]? Parse(string reply, int count)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var results = new string?[count];
        var current = -1;
        foreach (var rawLine in reply.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = rawLine.Trim();
            var numbered = NumberedLine().Match(line);
            if (numbered.Success)
            {
                var number = int.Parse(numbered.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
                if (number < 1 || number > count || results[number - 1] is not null)
                {
                    return null;
                }

                current = number - 1;
                results[current] = numbered.Groups[2].Value.Trim();
            }
            else if (line.Length > 0 && current >= 0)
            {
                // A model that wraps a long segment onto a second line: keep it with its segment.
                results[current] += " " + line;
            }
        }

        return results.Any(string.IsNullOrWhiteSpace) ? null : results.Select(r => r!).ToArray();
    }

    [GeneratedRegex(@"^\[(\d{1,4})\]\s*(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedLine();
}
