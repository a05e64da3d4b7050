using Nlps.Agents.Text.Segmentation;
using Nlps.Agents.Translator.Contracts;
using Nlps.Agents.Translator.Translation;

namespace Nlps.Agents.Translator.Tests.Translation;

public sealed class TranslationPartsTests
{
    [Fact]
    public void Segments_split_at_sentence_ends_and_lines_but_not_inside_numbers_or_initials()
    {
        var segments = TextSegmenter.Split("금리는 3.5% 상승했다. U.S. 경제는 성장했다!\n표 1\n\n다음 문단이다.");
        Assert.Equal(["금리는 3.5% 상승했다.", "U.S. 경제는 성장했다!", "표 1", "다음 문단이다."], segments.Select(s => s.Text));
        Assert.Equal([" ", "\n", "\n\n", ""], segments.Select(s => s.Separator));
    }

    [Fact]
    public void A_batch_reply_is_read_only_when_every_number_appears_once()
    {
        Assert.Equal(["One.", "Two, continued."], BatchReplyParser.Parse("[1] One.\n[2] Two,\ncontinued.", 2)!);
        Assert.Null(BatchReplyParser.Parse("[1] One.", 2));
        Assert.Null(BatchReplyParser.Parse("[1] One.\n[1] Again.", 2));
        Assert.Null(BatchReplyParser.Parse("Sure! Here is the translation.", 1));
    }

    [Fact]
    public void Missing_terms_and_numbers_are_reported()
    {
        AppliedTerm[] terms = [new("공시", "disclosure"), new("금융위원회", "Financial Services Commission")];
        var missing = OutputChecks.MissingTerms(terms, "The Disclosures were reviewed by the regulator in 2024.");
        Assert.Equal(["금융위원회"], missing.Select(t => t.Korean));
        Assert.Empty(OutputChecks.MissingNumbers("2024년에 1,200건의 공시", "1200 disclosures in 2024"));
        Assert.Equal(["3.5"], OutputChecks.MissingNumbers("3.5% 상승", "rose 35%"));
    }
}
