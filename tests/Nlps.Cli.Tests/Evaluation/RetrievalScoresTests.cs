using Nlps.Cli.Client;
using Nlps.Cli.Evaluation;

namespace Nlps.Cli.Tests.Evaluation;

public sealed class RetrievalScoresTests
{
    [Fact]
    public void Recall_at_k_is_the_share_of_gold_passages_in_the_top_k_and_mrr_uses_the_first_gold_rank()
    {
        var scores = new RetrievalScores();
        scores.Add(["a#1"], ["a#1", "b#1"]);                                         // rank 1
        scores.Add(["c#2"], ["x", "y", "z", "c#2"]);                                   // rank 4
        scores.Add(["d#1", "d#2"], ["d#2", "q", "r", "s", "t", "u", "d#1"]);          // half in top 5, both in top 10
        scores.Add(["e#1"], ["n", "o"]);                                               // not found

        Assert.Equal(4, scores.Queries);
        Assert.Equal((1 + 0 + 0.5 + 0) / 4, scores.Recall(1), 12);
        Assert.Equal((1 + 1 + 0.5 + 0) / 4, scores.Recall(5), 12);
        Assert.Equal((1 + 1 + 1 + 0) / 4.0, scores.Recall(10), 12);
        Assert.Equal((1 + 0.25 + 1 + 0) / 4, scores.MeanReciprocalRank, 12);
    }

    [Fact]
    public void Korean_questions_are_read_line_by_line_skipping_blank_lines()
    {
        var questions = RetrievalQuestion.ReadAll(new StringReader("""
            {"query": "예금자보호 한도는?", "gold_passage_ids": ["deposit-protection.md#2"]}

            {"query": "연회비 환불", "gold_passage_ids": ["card-terms.txt#1", "card-terms.txt#2"]}
            """));

        Assert.Equal(["예금자보호 한도는?", "연회비 환불"], questions.Select(q => q.Query));
        Assert.Equal(["card-terms.txt#1", "card-terms.txt#2"], questions[1].GoldPassageIds);
    }

    [Theory]
    [InlineData("{\"query\": \"금리\", \"gold_passage_ids\": [\"a#1\"]}\n{\"query\": \"금리\"}", "line 2: \"gold_passage_ids\" must be a non-empty array")]
    [InlineData("{\"query\": \"\", \"gold_passage_ids\": [\"a#1\"]}", "line 1: \"query\" must be a non-empty string")]
    [InlineData("{\"query\": \"금리\", \"gold_passage_ids\": [1]}", "line 1: \"gold_passage_ids\" must be a non-empty array of passage id strings")]
    [InlineData("not json", "line 1: not JSON")]
    [InlineData("\n\n", "the file has no questions")]
    public void A_bad_question_file_is_refused_naming_the_line(string content, string problem)
    {
        var error = Assert.Throws<AdminApiException>(() => RetrievalQuestion.ReadAll(new StringReader(content)));

        Assert.Equal("invalid_questions", error.Code);
        Assert.Equal(2, error.ExitCode);
        Assert.StartsWith(problem, error.Message, StringComparison.Ordinal);
    }
}
