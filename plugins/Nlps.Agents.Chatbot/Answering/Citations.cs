using System.Globalization;
using System.Text.RegularExpressions;

namespace Nlps.Agents.Chatbot.Answering;

/// <summary>Reads the [n] citations out of an answer, keeping only numbers of sources that were given, in first-cited order.</summary>
internal static partial class Citations
{
    public static IReadOnlyList<int> Parse(string answer, int sourceCount)
    {
        var cited = new List<int>();
        foreach (Match match in Marker().Matches(answer))
        {
            foreach (var part in match.Groups[1].Value.Split(','))
            {
                if (int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= sourceCount && !cited.Contains(n))
                {
                    cited.Add(n);
                }
            }
        }

        return cited;
    }

    [GeneratedRegex(@"\[(\d+(?:\s*,\s*\d+)*)\]")]
    private static partial Regex Marker();
}
