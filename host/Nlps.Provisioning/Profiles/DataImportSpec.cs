namespace Nlps.Provisioning.Profiles;

/// <summary>A data file on the media imported through an agent's own operation.</summary>
/// <param name="Agent">The agent (plugin id) that owns the data.</param>
/// <param name="Kind">What it is; see <see cref="DataKinds"/>.</param>
/// <param name="Path">The file on the media, relative to its root.</param>
/// <param name="KnowledgeBase">For chatbot documents: the knowledge base they go into.</param>
public sealed record DataImportSpec(string Agent, string Kind, string Path, string? KnowledgeBase);

/// <summary>The data kinds a profile may import and the agent operation each goes through.</summary>
public static class DataKinds
{
    public const string Glossary = "glossary";
    public const string TranslationMemory = "translation-memory";
    public const string Documents = "documents";
    public const string KeywordDictionary = "keyword-dictionary";
    public const string GraphDocuments = "graph-documents";

    public static readonly IReadOnlyList<string> All = [Glossary, TranslationMemory, Documents, KeywordDictionary, GraphDocuments];
}
