using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>HTML through AngleSharp: h1-h6, paragraphs and list items, table rows (cells joined with " | "); scripts and styles dropped.</summary>
internal static class HtmlExtractor
{
    public static List<DocumentBlock> Extract(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var noise in document.QuerySelectorAll("script, style, noscript, template").ToList())
        {
            noise.Remove();
        }

        var blocks = new List<DocumentBlock>();
        var title = document.Title;
        if (!string.IsNullOrWhiteSpace(title) && document.QuerySelector("h1") is null)
        {
            blocks.Add(new DocumentBlock(BlockKind.Heading, Whitespace.Collapse(title), 1));
        }

        foreach (var element in (document.Body ?? document.DocumentElement).QuerySelectorAll("h1, h2, h3, h4, h5, h6, p, li, tr, pre, blockquote, dd, dt"))
        {
            // A paragraph inside a table cell or list item is read with its row or item.
            if (element.LocalName != "tr" && element.Ancestors<IElement>().Any(a => a.LocalName is "tr" || (a.LocalName is "li" && element.LocalName != "li")))
            {
                continue;
            }

            var (kind, level, text) = element.LocalName switch
            {
                ['h', var digit] when char.IsDigit(digit) => (BlockKind.Heading, digit - '0', element.TextContent),
                "tr" => (BlockKind.TableRow, 0, string.Join(" | ", element.Children.Where(c => c.LocalName is "td" or "th").Select(c => Whitespace.Collapse(c.TextContent)))),
                _ => (BlockKind.Paragraph, 0, element.TextContent),
            };
            var clean = Whitespace.Collapse(text);
            if (clean.Length > 0)
            {
                blocks.Add(new DocumentBlock(kind, clean, level));
            }
        }

        if (blocks.All(b => b.Kind == BlockKind.Heading))
        {
            // Markup without block elements: take the body's text as one paragraph.
            var body = Whitespace.Collapse(document.Body?.TextContent ?? string.Empty);
            if (body.Length > 0)
            {
                blocks.Add(new DocumentBlock(BlockKind.Paragraph, body));
            }
        }

        return blocks;
    }
}
