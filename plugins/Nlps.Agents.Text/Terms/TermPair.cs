namespace Nlps.Agents.Text.Terms;

/// <summary>One row of a term or translation-memory file: a source text and its target, with the line it came from.</summary>
/// <param name="Source">The first column (Korean term, or Korean sentence for a translation memory).</param>
/// <param name="Target">The second column (the mandated English term or the approved translation).</param>
/// <param name="Line">The 1-based line (TSV, JSON) or row (XLSX) it was read from.</param>
public sealed record TermPair(string Source, string Target, int Line);
