using Nlps.Agents.Analysis.Text;

namespace Nlps.Agents.Analysis.Tests.Text;

public sealed class OfflineTaskTests
{
    private const string Article =
        "한국은행 금융통화위원회는 기준금리를 연 3.50%로 동결했다. " +
        "금융통화위원회는 물가 상승률이 둔화되고 있지만 기준금리 인하는 이르다고 판단했다. " +
        "오늘 서울의 날씨는 맑고 기온은 20도였다. " +
        "시장에서는 기준금리 동결이 대출 금리와 예금 금리에 미칠 영향에 주목하고 있다. " +
        "점심 메뉴로는 김치찌개가 인기를 끌었다.";

    [Fact]
    public void The_extractive_summary_keeps_the_central_sentences_in_document_order()
    {
        var summary = ExtractiveSummarizer.Summarize(Article, 2);

        Assert.Equal(2, summary.Sentences.Count);
        Assert.All(summary.Sentences, s => Assert.Contains("기준금리", s, StringComparison.Ordinal));
        Assert.DoesNotContain(summary.Sentences, s => s.Contains("날씨", StringComparison.Ordinal) || s.Contains("김치찌개", StringComparison.Ordinal));
        Assert.True(Article.IndexOf(summary.Sentences[0], StringComparison.Ordinal) < Article.IndexOf(summary.Sentences[1], StringComparison.Ordinal));
    }

    [Fact]
    public void A_short_text_is_its_own_summary()
    {
        Assert.Equal("한 문장뿐이다.", ExtractiveSummarizer.Summarize("한 문장뿐이다.").Summary);
    }

    [Fact]
    public void Keywords_come_without_particles_and_the_repeated_topic_ranks_first()
    {
        var keywords = KeywordExtractor.Extract(Article).Keywords;

        Assert.Equal("기준금리", keywords[0]);
        Assert.Contains("금융통화위원회", keywords);
        Assert.DoesNotContain("기준금리를", keywords);
        Assert.Equal(keywords.Count, keywords.Distinct().Count());
    }

    [Fact]
    public void Text_without_words_has_no_keywords()
    {
        Assert.Empty(KeywordExtractor.Extract("... 123 !!").Keywords);
    }
}
