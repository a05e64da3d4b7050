using Nlps.Cli.Client;
using Nlps.Cli.Evaluation;

namespace Nlps.Cli.Tests.Evaluation;

/// <summary>BLEU and chrF checked against the values sacreBLEU's own test suite publishes (mjpost/sacrebleu test/test_bleu.py, test/test_chrf.py).</summary>
public sealed class TranslationMetricsTests
{
    [Fact]
    public void Corpus_bleu_with_two_reference_streams_matches_sacrebleus_readme_example()
    {
        string[] hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
        string[][] streams =
        [
            ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
            ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
        ];
        var bleu = new BleuScore();
        for (var i = 0; i < hypotheses.Length; i++)
        {
            bleu.Add(hypotheses[i], [streams[0][i], streams[1][i]]);
        }

        Assert.Equal(48.530827, bleu.Score(), 6);
    }

    [Fact]
    public void Bleu_counts_clipped_ngrams_and_scores_statistics_as_sacrebleu_does()
    {
        var bleu = new BleuScore();
        bleu.Add("am I am a character sequence", ["I am a symbol string sequence a a"]);

        Assert.Equal([4L, 2, 1, 0], bleu.Correct);
        Assert.Equal([6L, 5, 4, 3], bleu.Total);
        Assert.Equal(83.75922397, BleuScore.Compute([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, effectiveOrder: false), 6);
        var empty = new BleuScore();
        empty.Add(string.Empty, ["The dog bit the man."]);
        Assert.Equal(0, empty.Score());
    }

    [Theory]
    [InlineData(new[] { "abcdefg" }, new[] { "hijklmnop" }, 0.0)]
    [InlineData(new[] { "" }, new[] { "reference" }, 0.0)]
    [InlineData(new[] { "aa" }, new[] { "ab" }, 8.3333)]
    [InlineData(new[] { "a", "b" }, new[] { "a", "c" }, 8.3333)]
    [InlineData(new[] { "a" }, new[] { "a" }, 16.6667)]
    [InlineData(new[] { "a b c" }, new[] { "abc" }, 50.0)]
    [InlineData(new[] { " risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ." }, new[] { "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ." }, 63.361730)]
    [InlineData(new[] { " Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. " }, new[] { "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich." }, 64.1302698)]
    [InlineData(new[] { "Niemand hat die Absicht, eine Mauer zu errichten" }, new[] { "Niemand hat die Absicht, eine Mauer zu errichten" }, 100.0)]
    public void Corpus_chrf_beta3_with_epsilon_smoothing_matches_sacrebleu(string[] hypotheses, string[] references, double expected)
    {
        var chrf = new ChrfScore(charOrder: 6, wordOrder: 0, beta: 3, epsilonSmoothing: true);
        for (var i = 0; i < hypotheses.Length; i++)
        {
            chrf.Add(hypotheses[i], [references[i]]);
        }

        Assert.True(Math.Abs(chrf.Score() - expected) < 1e-4, $"{chrf.Score()} vs {expected}");
    }

    [Theory]
    [InlineData(new[] { "a" }, new[] { "a" }, 100.0)]
    [InlineData(new[] { "" }, new[] { "reference" }, 0.0)]
    [InlineData(new[] { "a b c" }, new[] { "abc" }, 100.0)]
    [InlineData(new[] { "a", "b" }, new[] { "a", "c" }, 50.0)]
    [InlineData(new[] { "aa" }, new[] { "ab" }, 25.0)]
    public void Corpus_chrf_with_the_effective_order_matches_sacrebleu(string[] hypotheses, string[] references, double expected)
    {
        var chrf = new ChrfScore(charOrder: 6, wordOrder: 0, beta: 3);
        for (var i = 0; i < hypotheses.Length; i++)
        {
            chrf.Add(hypotheses[i], [references[i]]);
        }

        Assert.True(Math.Abs(chrf.Score() - expected) < 1e-4, $"{chrf.Score()} vs {expected}");
    }

    [Theory]
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.", "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.", "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.", "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367)]
    public void Sentence_chrf_matches_sacrebleu(string hypothesis, string reference, double expected)
    {
        var chrf = new ChrfScore(charOrder: 6, wordOrder: 0, beta: 2, epsilonSmoothing: true);
        chrf.Add(hypothesis, [reference]);

        Assert.True(Math.Abs(chrf.Score() - expected) < 1e-4, $"{chrf.Score()} vs {expected}");
    }

    [Fact]
    public void Chrf_plus_plus_adds_word_unigrams_and_bigrams_so_word_boundaries_count()
    {
        // The same characters split into other words: chrF (whitespace removed) cannot tell, chrF++ can.
        var chrf = new ChrfScore(wordOrder: 0);
        chrf.Add("a b c", ["abc"]);
        Assert.Equal(100.0, chrf.Score(), 6);
        Assert.True(ChrfScore.Sentence("a b c", ["abc"]) < 100.0);
        Assert.Equal(100.0, ChrfScore.Sentence("Total assets rose 3%.", ["Total assets rose 3%."]), 6);
    }

    [Theory]
    [InlineData("예금자보호\tdeposit protection\n한도만\n", "line 2: expected a source and a reference separated by one tab")]
    [InlineData("# 주석\n\n", "the file has no pairs")]
    [InlineData("예금\t\n", "line 1: expected a source and a reference")]
    public void A_bad_pairs_file_is_refused_naming_the_line(string content, string problem)
    {
        var error = Assert.Throws<AdminApiException>(() => TranslationPair.ReadAll(new StringReader(content)));

        Assert.Equal("invalid_pairs", error.Code);
        Assert.StartsWith(problem, error.Message, StringComparison.Ordinal);
    }
}
