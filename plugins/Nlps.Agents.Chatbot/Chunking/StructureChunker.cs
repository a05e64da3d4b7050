using System.Text.RegularExpressions;
using Nlps.Agents.Chatbot.Extraction;

namespace Nlps.Agents.Chatbot.Chunking;

/// <summary>
/// Structure-aware chunking. Blocks are grouped into sections by their headings; a section becomes one or more parent
/// passages of at most <c>passageTokens</c>, split only between blocks (a table row or paragraph is never cut unless
/// it alone is too long). Each passage is cut into retrieval chunks of about <c>chunkTokens</c> made of whole
/// sentences or rows, consecutive chunks sharing about <c>overlapTokens</c>.
/// </summary>
internal sealed partial class StructureChunker(int chunkTokens, int overlapTokens, int passageTokens)
{
    public IReadOnlyList<Passage> Chunk(string documentId, IReadOnlyList<DocumentBlock> blocks)
    {
        var passages = new List<Passage>();
        var headings = new List<(int Level, string Text)>();
        var body = new List<string>();
        var bodyTokens = 0;

        void Flush()
        {
            if (body.Count == 0)
            {
                return;
            }

            var heading = string.Join(" > ", headings.Select(h => h.Text));
            var id = $"{documentId}#{passages.Count + 1}";
            passages.Add(new Passage(id, heading, string.Join('\n', body), Windows(id, heading, body)));
            body.Clear();
            bodyTokens = 0;
        }

        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading)
            {
                Flush();
                headings.RemoveAll(h => h.Level >= block.Level);
                headings.Add((block.Level, block.Text));
                continue;
            }

            // A block longer than a passage is cut between sentences first, so no sentence straddles two passages.
            var pieces = TokenEstimate.Count(block.Text) <= passageTokens
                ? [block.Text]
                : Sentences().Split(block.Text).Where(s => s.Length > 0).SelectMany(s => SplitLong(s, passageTokens));
            foreach (var piece in pieces)
            {
                var tokens = TokenEstimate.Count(piece);
                if (bodyTokens + tokens > passageTokens)
                {
                    Flush();
                }

                body.Add(piece);
                bodyTokens += tokens;
            }
        }

        Flush();
        return passages;
    }

    private List<RetrievalChunk> Windows(string passageId, string heading, List<string> body)
    {
        var units = body.SelectMany(b => Sentences().Split(b)).Where(s => s.Length > 0).SelectMany(s => SplitLong(s, chunkTokens)).ToList();
        var chunks = new List<RetrievalChunk>();
        var start = 0;
        while (start < units.Count)
        {
            var end = start;
            var tokens = 0;
            while (end < units.Count && (end == start || tokens + TokenEstimate.Count(units[end]) <= chunkTokens))
            {
                tokens += TokenEstimate.Count(units[end]);
                end++;
            }

            var text = string.Join(' ', units.Skip(start).Take(end - start));
            chunks.Add(new RetrievalChunk($"{passageId}.{chunks.Count + 1}", heading.Length == 0 ? text : $"{heading}\n{text}"));
            if (end >= units.Count)
            {
                break;
            }

            // Step back over whole units worth at most overlapTokens, but always move forward.
            var next = end;
            var overlap = 0;
            while (next - 1 > start && overlap + TokenEstimate.Count(units[next - 1]) <= overlapTokens)
            {
                next--;
                overlap += TokenEstimate.Count(units[next]);
            }

            start = next;
        }

        return chunks;
    }

    // A unit over the limit is cut between words (or, for text without spaces, between characters).
    private static IEnumerable<string> SplitLong(string text, int limit)
    {
        if (TokenEstimate.Count(text) <= limit)
        {
            yield return text;
            yield break;
        }

        var words = text.Contains(' ', StringComparison.Ordinal) ? text.Split(' ') : text.Select(c => c.ToString()).ToArray();
        var separator = text.Contains(' ', StringComparison.Ordinal) ? " " : string.Empty;
        var current = new List<string>();
        var tokens = 0;
        foreach (var word in words)
        {
            var count = TokenEstimate.Count(word);
            if (current.Count > 0 && tokens + count > limit)
            {
                yield return string.Join(separator, current);
                current.Clear();
                tokens = 0;
            }

            current.Add(word);
            tokens += count;
        }

        if (current.Count > 0)
        {
            yield return string.Join(separator, current);
        }
    }

    [GeneratedRegex(@"(?<=[.!?。？！])\s+|(?<=다\.)\s*")]
    private static partial Regex Sentences();
}
