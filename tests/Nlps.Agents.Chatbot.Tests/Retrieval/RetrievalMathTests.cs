using Nlps.Agents.Chatbot.Answering;
using Nlps.Agents.Chatbot.Retrieval;

namespace Nlps.Agents.Chatbot.Tests.Retrieval;

public sealed class RetrievalMathTests
{
    [Fact]
    public void Chunks_fold_into_their_parent_passage_at_the_rank_of_the_best_chunk()
    {
        var list = RankedList.FromChunks("bm25", [("a.md#2.3", 9.0), ("b.txt#1.1", 7.0), ("a.md#2.1", 6.0), ("v1.2.pdf#4.10", 5.0)]);

        Assert.Equal(["a.md#2", "b.txt#1", "v1.2.pdf#4"], list.Passages);
        Assert.Equal([9.0, 7.0, 5.0], list.Scores);
    }

    [Fact]
    public void Fusion_puts_a_passage_found_by_both_retrievers_above_ones_found_by_one()
    {
        var bm25 = new RankedList("bm25", ["A", "B", "C"], [3, 2, 1]);
        var dense = new RankedList("dense", ["C", "D", "B"], [0.9, 0.8, 0.7]);

        var fused = ReciprocalRankFusion.Fuse([bm25, dense]);

        // B: 1/62 + 1/63; C: 1/63 + 1/61; A: 1/61; D: 1/62.
        Assert.Equal(["C", "B", "A", "D"], fused.Select(f => f.Passage));
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[0].Score, 12);
    }

    [Fact]
    public void Long_context_order_puts_the_best_passages_at_both_ends()
    {
        Assert.Equal([1, 3, 5, 4, 2], LongContextOrder.Reorder([1, 2, 3, 4, 5]));
        Assert.Equal([1, 3, 4, 2], LongContextOrder.Reorder([1, 2, 3, 4]));
        Assert.Empty(LongContextOrder.Reorder(Array.Empty<int>()));
    }

    [Fact]
    public void Citations_keep_only_given_source_numbers_in_first_cited_order()
    {
        Assert.Equal([2, 1, 3], Citations.Parse("한도는 1억 원입니다[2]. 청구는 5년 이내[1, 3]. 다시[2]. 없는 출처[9] [0]", 3));
        Assert.Empty(Citations.Parse("인용 없음", 3));
    }
}
