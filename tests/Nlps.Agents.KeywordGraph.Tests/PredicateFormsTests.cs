using Nlps.Agents.KeywordGraph.Extraction;

namespace Nlps.Agents.KeywordGraph.Tests;

public sealed class PredicateFormsTests
{
    [Theory]
    [InlineData("한다")]
    [InlineData("합니다")]
    [InlineData("있습니다")]
    [InlineData("받으려면")]
    [InlineData("있어야")]
    [InlineData("많다")]
    [InlineData("위하여")]
    [InlineData("있지만")]
    [InlineData("받았다")]
    [InlineData("한다는")]
    public void Verb_adjective_auxiliary_and_copula_forms_are_not_keywords(string token)
    {
        Assert.Null(StatisticalExtractor.Normalize(token).Word);
    }

    [Theory]
    [InlineData("제출해야", "제출")]
    [InlineData("신고하려면", "신고")]
    [InlineData("납부하여야", "납부")]
    [InlineData("통관되었습니다", "통관")]
    [InlineData("제출하였다", "제출")]
    [InlineData("확인하고", "확인")]
    [InlineData("부과된", "부과")]
    [InlineData("사항입니다", "사항")]
    [InlineData("사업이었다", "사업")]
    public void A_verb_built_on_a_noun_gives_the_noun(string token, string noun)
    {
        Assert.Equal(noun, StatisticalExtractor.Normalize(token).Word);
    }

    [Theory]
    [InlineData("필요", "필요")]
    [InlineData("수요를", "수요")]
    [InlineData("개요", "개요")]
    [InlineData("캐나다", "캐나다")]
    [InlineData("원산지만", "원산지")]
    [InlineData("원산지보다", "원산지")]
    [InlineData("금융실명제이다", "금융실명제")]
    [InlineData("납부기한", "납부기한")]
    [InlineData("권한을", "권한")]
    [InlineData("신고서를", "신고서")]
    [InlineData("용어도", "용어")]
    public void Nouns_that_end_like_endings_stay(string token, string noun)
    {
        Assert.Equal(noun, StatisticalExtractor.Normalize(token).Word);
    }

    [Fact]
    public void Keywords_of_korean_regulations_are_nouns_not_verb_endings()
    {
        const string Text = "수입물품의 원산지 증명서를 세관에 제출해야 합니다. 관세 감면을 받으려면 원산지 증명서가 있어야 한다. "
            + "신고인은 납부기한까지 관세를 납부하여야 합니다. 원산지 증명서는 세관에서 확인합니다. 서류가 없으면 감면이 되지 않습니다.";

        var keywords = StatisticalExtractor.Extract(Text, 100).Select(k => k.Keyword).ToList();

        string[] endings = ["합니다", "한다", "제출해야", "받으려면", "있어야", "납부하여야", "확인합니다", "없으면", "않습니다", "되지"];
        Assert.All(endings, e => Assert.DoesNotContain(keywords, k => k.Split(' ').Contains(e)));
        Assert.All(keywords, k => Assert.False(PredicateForms.IsPredicate(k.Split(' ')[^1]), k));
        Assert.Subset(keywords.ToHashSet(), new HashSet<string> { "원산지", "증명서", "원산지 증명서", "세관", "관세", "감면", "납부기한", "수입물품", "신고인", "제출", "납부", "확인", "서류" });
    }
}
