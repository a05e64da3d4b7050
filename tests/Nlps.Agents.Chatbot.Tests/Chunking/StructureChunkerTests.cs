using Nlps.Agents.Chatbot.Chunking;
using Nlps.Agents.Chatbot.Extraction;

namespace Nlps.Agents.Chatbot.Tests.Chunking;

public sealed class StructureChunkerTests
{
    [Fact]
    public void Each_section_becomes_a_passage_under_its_heading_path_and_chunks_point_to_it()
    {
        var blocks = new List<DocumentBlock>
        {
            new(BlockKind.Heading, "예금자보호", 1),
            new(BlockKind.Paragraph, "소개 문단입니다."),
            new(BlockKind.Heading, "보호 한도", 2),
            new(BlockKind.Paragraph, "한도는 1억 원입니다."),
            new(BlockKind.Heading, "청구", 2),
            new(BlockKind.TableRow, "기한 | 5년"),
        };

        var passages = new StructureChunker(100, 20, 400).Chunk("guide.md", blocks);

        Assert.Equal(["guide.md#1", "guide.md#2", "guide.md#3"], passages.Select(p => p.Id));
        Assert.Equal(["예금자보호", "예금자보호 > 보호 한도", "예금자보호 > 청구"], passages.Select(p => p.Heading));
        Assert.Equal("guide.md#2.1", passages[1].Chunks.Single().Id);
        Assert.Equal("예금자보호 > 보호 한도\n한도는 1억 원입니다.", passages[1].Chunks.Single().Text);
    }

    [Fact]
    public void A_long_section_gives_chunks_near_the_target_size_that_overlap_and_cover_every_sentence()
    {
        var sentences = Enumerable.Range(1, 40).Select(i => $"제{i}조 회원은 약관의 내용을 충분히 확인해야 합니다.").ToList();
        var blocks = new List<DocumentBlock> { new(BlockKind.Paragraph, string.Join(' ', sentences)) };

        var passages = new StructureChunker(100, 30, 400).Chunk("terms.txt", blocks);
        var chunks = passages.SelectMany(p => p.Chunks).ToList();

        Assert.True(passages.Count >= 2, "a 1000-token section is split into several passages of at most 400 tokens");
        Assert.All(passages, p => Assert.True(TokenEstimate.Count(p.Text) <= 400));
        Assert.All(chunks, c => Assert.InRange(TokenEstimate.Count(c.Text), 20, 100));
        Assert.All(sentences, s => Assert.Contains(chunks, c => c.Text.Contains(s, StringComparison.Ordinal)));

        // Consecutive chunks of one passage share their boundary sentence.
        var first = passages[0].Chunks;
        Assert.True(first.Count >= 2);
        var lastOfFirst = first[0].Text.Split(". ")[^1].TrimEnd('.');
        Assert.Contains(lastOfFirst, first[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_rows_are_kept_whole_in_chunks()
    {
        var rows = Enumerable.Range(1, 30).Select(i => new DocumentBlock(BlockKind.TableRow, $"상품{i} | 금리 {i}.5% | 만기 {i}개월")).ToList();

        var chunks = new StructureChunker(60, 10, 400).Chunk("rates.xlsx", rows).SelectMany(p => p.Chunks).ToList();

        Assert.All(rows, r => Assert.Contains(chunks, c => c.Text.Contains(r.Text, StringComparison.Ordinal)));
    }

    [Fact]
    public void Text_without_spaces_longer_than_a_chunk_is_cut_between_characters()
    {
        var blocks = new List<DocumentBlock> { new(BlockKind.Paragraph, new string('가', 250)) };

        var chunks = new StructureChunker(100, 0, 400).Chunk("x.txt", blocks).SelectMany(p => p.Chunks).ToList();

        Assert.Equal(3, chunks.Count);
        Assert.Equal(250, chunks.Sum(c => c.Text.Length));
    }
}
