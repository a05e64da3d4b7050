namespace Nlps.Agents.KeywordGraph.Extraction;

/// <summary>A keyword with its score and the methods that found it.</summary>
internal sealed record KeywordCandidate(string Keyword, double Score, SortedSet<string> Methods);
