using Nlps.Sdk.Storage;
using Nlps.Storage.Documents;

namespace Nlps.Storage.Tests.Documents;

public sealed class TextAnalyzerTests
{
    [Theory]
    [InlineData("금리가", "금리")]
    [InlineData("기준금리를", "기준금리")]
    [InlineData("한국은행에서는", "한국은행")]
    [InlineData("예금자보호법에", "예금자보호법")]
    [InlineData("회의", "회의")]
    [InlineData("나이", "나이")]
    [InlineData("금리", "금리")]
    public void Particle_stripping_removes_one_trailing_particle_but_keeps_short_nouns(string word, string stem) =>
        Assert.Equal(stem, TextAnalyzer.StripParticle(word));

    [Fact]
    public void Bigrams_cover_hangul_runs_and_keep_latin_words_whole_in_lower_case()
    {
        var terms = TextAnalyzer.Terms("금리가 KOSPI200 지수에 1% 영향", TextIndexing.CharacterBigrams);

        Assert.Equal(["금리", "리가", "kospi200", "지수", "수에", "1", "영향"], terms);
    }

    [Fact]
    public void A_query_with_no_word_characters_has_no_match_expression()
    {
        Assert.Null(TextAnalyzer.MatchExpression("?! ... ", TextIndexing.CharacterBigrams));
        Assert.Null(TextAnalyzer.MatchExpression("금리", TextIndexing.CharacterTrigrams));
        Assert.Equal("\"금리\" OR \"리는\"", TextAnalyzer.MatchExpression("금리는 금리는", TextIndexing.CharacterBigrams));
    }
}
