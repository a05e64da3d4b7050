using System.Text;
using System.Text.RegularExpressions;
using Nlps.Agents.Text.Segmentation;

namespace Nlps.Agents.Translator.Documents;

/// <summary>
/// Markdown, line by line: the text after a line's markup (heading marks, list bullets and numbers, quote marks) and
/// each table cell is translated; code blocks, table rules and lines without Korean are kept as they are.
/// </summary>
internal sealed partial class MarkdownDocument : TranslatableDocument
{
    private readonly List<object> parts = [];
    private readonly List<TextSegment> segments = [];

    public MarkdownDocument(string text)
    {
        var inCode = false;
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                parts.Add(line);
            }
            else if (inCode || !HasKorean(line))
            {
                parts.Add(line);
            }
            else if (line.TrimStart().StartsWith('|'))
            {
                foreach (var cell in Cell().Split(line))
                {
                    Add(cell);
                }
            }
            else
            {
                var markup = Markup().Match(line).Value;
                parts.Add(markup);
                Add(line[markup.Length..]);
            }

            if (i < lines.Length - 1)
            {
                parts.Add("\n");
            }
        }
    }

    public override IReadOnlyList<TextSegment> Segments => segments;

    public override byte[] Write(IReadOnlyList<string> translations)
    {
        var output = new StringBuilder();
        foreach (var part in parts)
        {
            // A piece is one line (or one table cell): a translation must not break it.
            output.Append(part is int index ? translations[index].ReplaceLineEndings(" ") : (string)part);
        }

        return Encoding.UTF8.GetBytes(output.ToString());
    }

    // A piece with Korean becomes a segment (its surrounding spaces kept as markup); any other piece is kept.
    private void Add(string piece)
    {
        var text = piece.Trim();
        if (!HasKorean(text))
        {
            parts.Add(piece);
            return;
        }

        var lead = piece[..piece.IndexOf(text, StringComparison.Ordinal)];
        parts.Add(lead);
        parts.Add(segments.Count);
        segments.Add(new TextSegment(segments.Count, 0, text, string.Empty));
        parts.Add(piece[(lead.Length + text.Length)..]);
    }

    [GeneratedRegex(@"^\s*(?:(?:#{1,6}|[-*+]|\d+[.)]|>)\s+)*")]
    private static partial Regex Markup();

    // Splits a table row into cells and their pipes, keeping the pipes as pieces of their own.
    [GeneratedRegex(@"(\|)")]
    private static partial Regex Cell();
}
