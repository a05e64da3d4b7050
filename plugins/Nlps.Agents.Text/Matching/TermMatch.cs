namespace Nlps.Agents.Text.Matching;

/// <summary>One term found in a text.</summary>
/// <param name="TermId">The index of the term in the list the matcher was built from.</param>
/// <param name="Start">Where the term starts (UTF-16 index into the text as given).</param>
/// <param name="Length">The term's length in the text.</param>
/// <param name="SurfaceLength">The term plus any attached particle or ending (금융실명제<b>는</b>); at least <paramref name="Length"/>.</param>
public readonly record struct TermMatch(int TermId, int Start, int Length, int SurfaceLength);
