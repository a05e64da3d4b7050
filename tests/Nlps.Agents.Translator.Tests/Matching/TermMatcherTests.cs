using Nlps.Agents.Text.Korean;
using Nlps.Agents.Text.Matching;

namespace Nlps.Agents.Translator.Tests.Matching;

public sealed class TermMatcherTests
{
    private static List<string> Found(TermMatcher matcher, IReadOnlyList<string> terms, string text) =>
        [.. matcher.FindAll(text).Select(m => $"{terms[m.TermId]}@{m.Start}:{text.Substring(m.Start, m.SurfaceLength)}")];

    [Theory]
    [InlineData("금융실명제는 시행되었다.", "금융실명제@0:금융실명제는")]
    [InlineData("금융실명제를 강화한다.", "금융실명제@0:금융실명제를")]
    [InlineData("정부는 금융실명제에서의 예외를 두었다.", "금융실명제@4:금융실명제에서의")]
    [InlineData("금융실명제.", "금융실명제@0:금융실명제")]
    public void A_term_is_found_with_particles_attached(string text, string expected)
    {
        string[] terms = ["금융실명제"];
        Assert.Equal([expected], Found(new TermMatcher(terms), terms, text));
    }

    [Theory]
    [InlineData("비실명제")]
    [InlineData("금융실명제")]
    [InlineData("실명제개편안")]
    [InlineData("실명제2")]
    public void A_term_inside_another_word_is_not_found_unless_only_particles_follow(string text)
    {
        Assert.Empty(new TermMatcher(["실명제"]).FindAll(text));
    }

    [Fact]
    public void The_longest_term_at_a_position_wins_and_covered_terms_are_skipped()
    {
        string[] terms = ["금융", "금융실명제", "실명제", "실명제 위반"];
        var found = Found(new TermMatcher(terms), terms, "금융실명제 위반 금융 실명제 위반");
        Assert.Equal(["금융실명제@0:금융실명제", "금융@9:금융", "실명제 위반@12:실명제 위반"], found);
    }

    [Fact]
    public void Overlapping_terms_resolve_leftmost_first()
    {
        string[] terms = ["국제 금융", "금융 시장"];
        Assert.Equal(["국제 금융@0:국제 금융"], Found(new TermMatcher(terms), terms, "국제 금융 시장"));
    }

    [Fact]
    public void English_terms_match_case_insensitively_across_whitespace_and_with_plurals()
    {
        string[] terms = ["Financial Services Commission", "bond"];
        var found = Found(new TermMatcher(terms), terms, "The financial services\ncommission's rules on Bonds, not bondage.");
        Assert.Equal(["Financial Services Commission@4:financial services\ncommission", "bond@45:Bonds"], found);
    }

    [Fact]
    public void Decomposed_hangul_input_matches_after_nfc()
    {
        string[] terms = ["공시"];
        var decomposed = "공시를".Normalize(System.Text.NormalizationForm.FormD);
        Assert.Single(new TermMatcher(terms).FindAll(TextFolding.Nfc(decomposed)));
    }

    [Fact]
    public void Matching_is_one_pass_even_for_a_pathological_term_set()
    {
        // Terms 가, 가가, 가가가, ... over words of fifty 가: every position ends many terms; the result is still leftmost-longest.
        var terms = Enumerable.Range(1, 50).Select(n => new string('가', n)).ToList();
        var text = string.Concat(Enumerable.Repeat(new string('가', 50) + " ", 20));
        var matches = new TermMatcher(terms).FindAll(text);
        Assert.Equal(20, matches.Count);
        Assert.All(matches, m => Assert.Equal(50, m.Length));
    }

    [Theory]
    [InlineData("회사가", "회사")]
    [InlineData("금융실명제는", "금융실명제")]
    [InlineData("이사회에서", "이사회")]
    [InlineData("보고서", "보고서")]
    [InlineData("국가", "국가")]
    [InlineData("사용하는", "사용")]
    public void Unknown_words_lose_particles_and_endings_but_keep_two_syllables(string word, string stem)
    {
        Assert.Equal(stem, KoreanSuffixes.Stem(word).ToString());
    }
}
