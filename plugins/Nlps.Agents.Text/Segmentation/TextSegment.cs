namespace Nlps.Agents.Text.Segmentation;

/// <summary>One sentence (or line) of a text, with what separated it from the next one.</summary>
/// <param name="Index">0-based position in the text's segment list.</param>
/// <param name="Start">Where the segment starts in the text.</param>
/// <param name="Text">The segment, without surrounding whitespace.</param>
/// <param name="Separator">What follows it when the text is put back together: <c>" "</c>, <c>"\n"</c>, <c>"\n\n"</c>, or empty after the last.</param>
public sealed record TextSegment(int Index, int Start, string Text, string Separator);
