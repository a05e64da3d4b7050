using System.Text.Json;
using Nlps.Agents.KeywordGraph.Contracts;
using Nlps.Agents.Text.Matching;

namespace Nlps.Agents.KeywordGraph.Extraction;

/// <summary>
/// Validates what the chat model returned. Models wrap JSON in prose or code fences, so the first JSON object in the
/// reply is read; anything else (no object, wrong shape, keywords not in the text, relation types not allowed) is
/// rejected item by item, never trusted.
/// </summary>
internal static class ModelJsonReader
{
    public const int MaxKeywordLength = 50;

    /// <summary>The keywords of <c>{"keywords": ["..."]}</c> that occur in <paramref name="text"/>, or null when the reply holds no such object.</summary>
    public static IReadOnlyList<string>? Keywords(string reply, string text)
    {
        using var document = FirstObject(reply);
        if (document is null || !document.RootElement.TryGetProperty("keywords", out var keywords) || keywords.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var folded = TextFolding.FoldTerm(text);
        return [.. keywords.EnumerateArray()
            .Where(k => k.ValueKind == JsonValueKind.String)
            .Select(k => k.GetString()!.Trim())
            .Where(k => k.Length is > 0 and <= MaxKeywordLength && folded.Contains(TextFolding.FoldTerm(k), StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The relations of <c>{"relations": [{"subject","relation","object"}]}</c> whose ends are among <paramref name="keywords"/> and whose type is allowed; null when the reply holds no such object.</summary>
    public static (IReadOnlyList<KeywordRelation> Accepted, int Rejected)? Relations(string reply, IReadOnlySet<string> keywords, IReadOnlySet<string> relationTypes)
    {
        using var document = FirstObject(reply);
        if (document is null || !document.RootElement.TryGetProperty("relations", out var relations) || relations.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var accepted = new List<KeywordRelation>();
        var rejected = 0;
        foreach (var item in relations.EnumerateArray())
        {
            var subject = Field(item, "subject");
            var relation = Field(item, "relation");
            var obj = Field(item, "object");
            if (subject is not null && obj is not null && relation is not null && subject != obj
                && keywords.Contains(subject) && keywords.Contains(obj) && relationTypes.Contains(relation))
            {
                accepted.Add(new KeywordRelation(subject, relation, obj));
            }
            else
            {
                rejected++;
            }
        }

        return (accepted, rejected);
    }

    private static string? Field(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? TextFolding.FoldTerm(value.GetString()!)
            : null;

    private static JsonDocument? FirstObject(string reply)
    {
        for (var start = reply.IndexOf('{', StringComparison.Ordinal); start >= 0; start = reply.IndexOf('{', start + 1))
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(reply[start..]), new JsonReaderOptions { AllowTrailingCommas = true });
            try
            {
                if (JsonDocument.TryParseValue(ref reader, out var document))
                {
                    return document;
                }
            }
            catch (JsonException)
            {
                // Not JSON from here; try the next brace.
            }
        }

        return null;
    }
}
