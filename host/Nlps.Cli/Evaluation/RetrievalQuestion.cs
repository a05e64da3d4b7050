using System.Text.Json;
using Nlps.Cli.Client;

namespace Nlps.Cli.Evaluation;

/// <summary>One line of a retrieval evaluation set: <c>{"query": "…", "gold_passage_ids": ["doc.md#2", …]}</c>.</summary>
internal sealed record RetrievalQuestion(string Query, IReadOnlyList<string> GoldPassageIds)
{
    /// <summary>Reads a JSON Lines file (blank lines skipped); the first bad line stops it with its number.</summary>
    public static IReadOnlyList<RetrievalQuestion> ReadAll(TextReader reader)
    {
        var questions = new List<RetrievalQuestion>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                questions.Add(Parse(line, number));
            }
        }

        return questions.Count > 0 ? questions : throw Invalid(0, "the file has no questions");
    }

    private static RetrievalQuestion Parse(string line, int number)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var query = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : null;
            if (string.IsNullOrWhiteSpace(query))
            {
                throw Invalid(number, "\"query\" must be a non-empty string");
            }

            if (!root.TryGetProperty("gold_passage_ids", out var gold) || gold.ValueKind != JsonValueKind.Array || gold.GetArrayLength() == 0
                || gold.EnumerateArray().Any(g => g.ValueKind != JsonValueKind.String))
            {
                throw Invalid(number, "\"gold_passage_ids\" must be a non-empty array of passage id strings");
            }

            return new RetrievalQuestion(query, gold.EnumerateArray().Select(g => g.GetString()!).ToList());
        }
        catch (JsonException ex)
        {
            throw Invalid(number, $"not JSON: {ex.Message}");
        }
    }

    private static AdminApiException Invalid(int line, string problem) =>
        new("invalid_questions", line == 0 ? problem : $"line {line}: {problem}", exitCode: 2);
}
