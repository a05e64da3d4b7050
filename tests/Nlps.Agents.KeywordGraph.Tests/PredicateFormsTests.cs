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

    [Theory]
    [InlineData("관한")]
    [InlineData("의한")]
    [InlineData("인한")]
    [InlineData("통한")]
    [InlineData("받은")]
    [InlineData("높은")]
    [InlineData("있을")]
    [InlineData("받는")]
    [InlineData("새로운")]
    [InlineData("어려운")]
    [InlineData("있던")]
    [InlineData("어떠한")]
    public void Adnominal_forms_without_a_noun_are_not_keywords(string token)
    {
        Assert.Null(StatisticalExtractor.Normalize(token).Word);
    }

    [Theory]
    [InlineData("중요한", "중요")]
    [InlineData("필요한", "필요")]
    [InlineData("제출할", "제출")]
    [InlineData("신고한", "신고")]
    [InlineData("검토할", "검토")]
    [InlineData("제출해야할", "제출")]
    [InlineData("필요한지", "필요")]
    [InlineData("신고하던", "신고")]
    [InlineData("제한한", "제한")]
    [InlineData("분할할", "분할")]
    [InlineData("주식분할합니다", "주식분할")]
    [InlineData("주식분할된", "주식분할")]
    [InlineData("납부기한입니다", "납부기한")]
    public void An_adnominal_han_or_hal_form_of_a_verb_built_on_a_noun_gives_the_noun(string token, string noun)
    {
        Assert.Equal(noun, StatisticalExtractor.Normalize(token).Word);
    }

    [Theory]
    [InlineData("권한", "권한")]
    [InlineData("권한을", "권한")]
    [InlineData("기한까지", "기한")]
    [InlineData("납부기한", "납부기한")]
    [InlineData("무제한", "무제한")]
    [InlineData("주식분할", "주식분할")]
    [InlineData("역할을", "역할")]
    [InlineData("관할", "관할")]
    [InlineData("북한", "북한")]
    [InlineData("최소한", "최소한")]
    [InlineData("한국", "한국")]
    [InlineData("할인", "할인")]
    [InlineData("할인율을", "할인율")]
    [InlineData("분할", "분할")]
    [InlineData("대한민국", "대한민국")]
    [InlineData("대한민국의", "대한민국")]
    [InlineData("한국은행", "한국은행")]
    [InlineData("한은", "한은")]
    [InlineData("가을", "가을")]
    public void Nouns_that_end_or_begin_with_han_or_hal_stay(string token, string noun)
    {
        Assert.Equal(noun, StatisticalExtractor.Normalize(token).Word);
    }

    [Theory]
    [InlineData("한")]
    [InlineData("할")]
    [InlineData("한국")]
    [InlineData("할인")]
    [InlineData("분할")]
    [InlineData("권한")]
    [InlineData("대한민국")]
    public void Han_and_hal_alone_or_inside_nouns_are_not_predicates(string word)
    {
        Assert.False(PredicateForms.IsPredicate(word));
    }

    [Fact]
    public void Keywords_of_a_text_full_of_adnominal_forms_are_its_nouns()
    {
        const string Text = "관세 감면에 관한 중요한 사항은 다음과 같다. 필요한 서류를 제출할 때 관할 세관에 신고할 권한은 신고인에게 있다. "
            + "주식분할에 따른 새로운 주식은 납부기한까지 받은 신고서에 의한다. 할인된 관세를 받을 권한은 대한민국 세관이 확인할 사항이다.";

        var words = StatisticalExtractor.Extract(Text, 100).SelectMany(k => k.Keyword.Split(' ')).ToHashSet();

        string[] adnominals = ["관한", "중요한", "필요한", "제출할", "신고할", "새로운", "받은", "받을", "의한다", "할인된", "확인할"];
        Assert.All(adnominals, a => Assert.DoesNotContain(a, words));
        Assert.All(words, w => Assert.False(PredicateForms.IsPredicate(w), w));
        Assert.Subset(words, new HashSet<string> { "관세", "감면", "사항", "서류", "관할", "세관", "권한", "신고인", "주식분할", "납부기한", "신고서", "대한민국", "제출", "확인" });
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
