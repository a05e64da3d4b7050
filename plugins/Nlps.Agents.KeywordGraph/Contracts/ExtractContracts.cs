namespace Nlps.Agents.KeywordGraph.Contracts;

/// <summary>Text to extract keywords from. <c>useModel</c> adds the chat model's keywords (503 model_unavailable without one).</summary>
public sealed record ExtractRequest(string Text, int Top = 20, bool UseModel = false);

/// <summary>One ranked keyword and the methods that found it: dictionary, statistical, llm.</summary>
public sealed record RankedKeyword(string Keyword, double Score, IReadOnlyList<string> Methods);

/// <summary>The keywords, best first; <c>llm</c> is "off", "used" or "invalid_output" (the model's answer was not the JSON asked for).</summary>
public sealed record ExtractResponse(IReadOnlyList<RankedKeyword> Keywords, string Llm);

/// <summary>Imports the keyword dictionary (json/tsv in <c>content</c>, xlsx in <c>contentBase64</c>); replaces the old one.</summary>
public sealed record DictionaryImportRequest(string Format, string? Content = null, string? ContentBase64 = null);

/// <summary>How many dictionary terms there are now.</summary>
public sealed record DictionaryImportResponse(int Total);

/// <summary>A dictionary term and its optional English or canonical form.</summary>
public sealed record DictionaryTerm(string Term, string Gloss);
