namespace Nlps.Agents.Translator.Contracts;

/// <summary>Text to find glossary terms in (Korean, English or both).</summary>
public sealed record ExtractKeywordsRequest(string Text);

/// <summary>One glossary term found in the text.</summary>
/// <param name="Korean">The glossary's Korean term.</param>
/// <param name="English">Its mandated translation.</param>
/// <param name="Start">Where it starts in the text (UTF-16 index).</param>
/// <param name="Length">The term's length in the text.</param>
/// <param name="Surface">The text as written, with any attached particle (금융실명제는).</param>
/// <param name="Side">"ko" when the Korean term was found, "en" when the English one was.</param>
public sealed record FoundTerm(string Korean, string English, int Start, int Length, string Surface, string Side);

/// <summary>The terms found, in text order, and how many distinct glossary entries they are.</summary>
public sealed record ExtractKeywordsResponse(IReadOnlyList<FoundTerm> Terms, int Distinct);
