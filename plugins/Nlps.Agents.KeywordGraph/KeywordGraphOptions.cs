namespace Nlps.Agents.KeywordGraph;

/// <summary>The keyword graph's configuration section; every value has a default and is checked at start.</summary>
public sealed class KeywordGraphOptions
{
    /// <summary>Passages are built from whole sentences up to about this many characters (default 600).</summary>
    public int PassageCharacters { get; set; } = 600;

    /// <summary>Keywords kept per passage for the graph (default 8); bounds the edges a passage adds to 28.</summary>
    public int KeywordsPerPassage { get; set; } = 8;

    /// <summary>The longest text one extract call or one ingested document may have, in characters (default 1,000,000).</summary>
    public int MaxTextCharacters { get; set; } = 1_000_000;

    /// <summary>The relation types the chat model may use (default: defines, regulates, requires, part_of, related_to).</summary>
    public IReadOnlyList<string> RelationTypes { get; set; } = ["defines", "regulates", "requires", "part_of", "related_to"];

    /// <summary>Extra guidance for relation extraction, added to the prompt (e.g. the customs team's rules).</summary>
    public string RelationGuidelines { get; set; } = "Only state relations the passage itself supports.";

    /// <summary>The first invalid setting as "key: reason", or null.</summary>
    public string? Validate() =>
        PassageCharacters is < 50 or > 20_000 ? "passageCharacters: must be 50 to 20000"
        : KeywordsPerPassage is < 2 or > 50 ? "keywordsPerPassage: must be 2 to 50"
        : MaxTextCharacters < 1 ? "maxTextCharacters: must be at least 1"
        : RelationTypes.Count == 0 || RelationTypes.Any(string.IsNullOrWhiteSpace) ? "relationTypes: must list at least one non-empty type"
        : null;
}
