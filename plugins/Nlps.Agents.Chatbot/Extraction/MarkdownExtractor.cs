using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>Markdown through Markdig: headings, paragraphs and list items, pipe-table rows.</summary>
internal static class MarkdownExtractor
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public static List<DocumentBlock> Extract(string text)
    {
        var blocks = new List<DocumentBlock>();
        foreach (var block in Markdown.Parse(text, Pipeline).Descendants())
        {
            switch (block)
            {
                case HeadingBlock heading:
                    Add(blocks, BlockKind.Heading, InlineText(heading.Inline), heading.Level);
                    break;
                case ParagraphBlock paragraph when paragraph.Parent is not TableCell:
                    Add(blocks, BlockKind.Paragraph, InlineText(paragraph.Inline));
                    break;
                case TableRow row:
                    Add(blocks, BlockKind.TableRow, string.Join(" | ", row.OfType<TableCell>().Select(c => string.Join(' ', c.OfType<ParagraphBlock>().Select(p => InlineText(p.Inline))))));
                    break;
                case CodeBlock code:
                    Add(blocks, BlockKind.Paragraph, code.Lines.ToString());
                    break;
            }
        }

        return blocks;
    }

    private static void Add(List<DocumentBlock> blocks, BlockKind kind, string text, int level = 0)
    {
        var clean = Whitespace.Collapse(text);
        if (clean.Length > 0)
        {
            blocks.Add(new DocumentBlock(kind, clean, level));
        }
    }

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var item in inline.Descendants())
        {
            switch (item)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case LineBreakInline:
                    builder.Append(' ');
                    break;
            }
        }

        return builder.ToString();
    }
}
