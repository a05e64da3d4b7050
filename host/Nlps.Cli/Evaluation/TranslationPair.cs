using Nlps.Cli.Client;

namespace Nlps.Cli.Evaluation;

/// <summary>One line of a translation evaluation set: the Korean source and an English reference, separated by a tab.</summary>
internal sealed record TranslationPair(int Line, string Source, string Reference)
{
    /// <summary>Reads a TSV file (blank lines and lines starting with # skipped); the first bad line stops it with its number.</summary>
    public static IReadOnlyList<TranslationPair> ReadAll(TextReader reader)
    {
        var pairs = new List<TranslationPair>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 2 || string.IsNullOrWhiteSpace(fields[0]) || string.IsNullOrWhiteSpace(fields[1]))
            {
                throw new AdminApiException("invalid_pairs", $"line {number}: expected a source and a reference separated by one tab", exitCode: 2);
            }

            pairs.Add(new TranslationPair(number, fields[0].Trim(), fields[1].Trim()));
        }

        return pairs.Count > 0 ? pairs : throw new AdminApiException("invalid_pairs", "the file has no pairs", exitCode: 2);
    }
}
