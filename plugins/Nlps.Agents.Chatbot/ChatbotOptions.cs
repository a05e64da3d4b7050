using System.Text.Json;

namespace Nlps.Agents.Chatbot;

/// <summary>The chatbot's configuration section (every key optional). A bad value stops the agent at start naming the key.</summary>
internal sealed class ChatbotOptions
{
    /// <summary>Target size of a retrieval chunk, in estimated tokens.</summary>
    public int ChunkTokens { get; set; } = 100;

    /// <summary>How many estimated tokens consecutive chunks of a passage share.</summary>
    public int OverlapTokens { get; set; } = 20;

    /// <summary>Largest parent passage, in estimated tokens; a longer section is split into several passages.</summary>
    public int PassageTokens { get; set; } = 400;

    /// <summary>Text put before a query before embedding it (e.g. <c>query: </c> for E5-style models).</summary>
    public string QueryPrefix { get; set; } = string.Empty;

    /// <summary>Text put before a chunk before embedding it (e.g. <c>passage: </c>).</summary>
    public string PassagePrefix { get; set; } = string.Empty;

    /// <summary>Retrieval counts as strong enough to answer when the best BM25 score reaches this.</summary>
    public double MinBm25Score { get; set; } = 2.0;

    /// <summary>... or when the best dense (cosine) score reaches this.</summary>
    public double MinDenseScore { get; set; } = 0.35;

    /// <summary>How many parent passages go into the prompt.</summary>
    public int AnswerPassages { get; set; } = 5;

    /// <summary>Sampling temperature of answers; 0 (the default) is greedy, so an answer depends only on the sources and question.</summary>
    public float Temperature { get; set; }

    /// <summary>Most tokens the model may write for one answer.</summary>
    public int MaxAnswerTokens { get; set; } = 512;

    /// <summary>What the chatbot says when the documents do not contain the answer.</summary>
    public string RefusalMessage { get; set; } = "제공된 문서에서 해당 내용을 찾을 수 없습니다.";

    /// <summary>The keyword graph agent asked for related keywords when a search or question asks for expansion (plugin.json lists the permission for nlps.keyword-graph).</summary>
    public string ExpansionAgent { get; set; } = "nlps.keyword-graph";

    /// <summary>Most related keywords added to the BM25 query by expansion.</summary>
    public int ExpansionTerms { get; set; } = 3;

    /// <summary>The largest document accepted for ingestion, in bytes.</summary>
    public long MaxDocumentBytes { get; set; } = 50L * 1024 * 1024;

    public static ChatbotOptions Read(JsonElement configuration)
    {
        var options = configuration.ValueKind == JsonValueKind.Object
            ? configuration.Deserialize(Contracts.ChatbotJson.Default.ChatbotOptions) ?? new ChatbotOptions()
            : new ChatbotOptions();
        Require(options.ChunkTokens is >= 16 and <= 2048, "chunkTokens", "16 to 2048");
        Require(options.OverlapTokens >= 0 && options.OverlapTokens < options.ChunkTokens, "overlapTokens", "0 to chunkTokens - 1");
        Require(options.PassageTokens >= options.ChunkTokens, "passageTokens", "at least chunkTokens");
        Require(options.AnswerPassages is >= 1 and <= 50, "answerPassages", "1 to 50");
        Require(options.Temperature is >= 0 and <= 2, "temperature", "0 to 2");
        Require(options.MaxAnswerTokens is >= 16 and <= 8192, "maxAnswerTokens", "16 to 8192");
        Require(options.ExpansionTerms is >= 1 and <= 20, "expansionTerms", "1 to 20");
        Require(!string.IsNullOrWhiteSpace(options.ExpansionAgent), "expansionAgent", "an agent id");
        Require(options.MaxDocumentBytes > 0, "maxDocumentBytes", "positive");
        return options;
    }

    private static void Require(bool valid, string key, string range)
    {
        if (!valid)
        {
            throw new InvalidOperationException($"configuration key '{key}' must be {range}");
        }
    }
}
