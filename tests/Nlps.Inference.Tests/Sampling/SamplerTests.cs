using Nlps.Inference.Sampling;

namespace Nlps.Inference.Tests.Sampling;

public sealed class SamplerTests
{
    // Probabilities 0.5, 0.3, 0.15, 0.05 as logits.
    private static readonly float[] FourWay = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.05f)];

    [Fact]
    public void Greedy_takes_the_largest_logit()
    {
        var sampler = new Sampler(4, SamplingOptions.Greedy);

        Assert.Equal(2, sampler.Sample([0.1f, 0.5f, 2f, -1f], []));
    }

    [Fact]
    public void Repetition_penalty_lets_an_unseen_runner_up_win_once_per_distinct_token()
    {
        var sampler = new Sampler(3, SamplingOptions.Greedy with { RepetitionPenalty = 1.5f });

        // 3 / 1.5 = 2 < 2.5; the token appears twice in the history but is penalised once.
        Assert.Equal(1, sampler.Sample([3f, 2.5f, -1f], [0, 0]));
        float[] logits = [3f, 1.9f, -1f];
        Assert.Equal(0, sampler.Sample(logits, [0, 0, 2]));
        Assert.Equal(2f, logits[0]);
        Assert.Equal(-1.5f, logits[2]);
    }

    [Fact]
    public void The_same_seed_draws_the_same_tokens_and_another_seed_does_not()
    {
        List<int> Draws(int seed)
        {
            var sampler = new Sampler(4, new SamplingOptions { Seed = seed });
            return Enumerable.Range(0, 64).Select(_ => sampler.Sample((float[])FourWay.Clone(), [])).ToList();
        }

        Assert.Equal(Draws(42), Draws(42));
        Assert.NotEqual(Draws(42), Draws(43));
    }

    [Fact]
    public void Draws_follow_the_distribution()
    {
        var counts = Histogram(new SamplingOptions { Seed = 1 }, 4000);

        Assert.InRange(counts[0] / 4000.0, 0.46, 0.54);
        Assert.InRange(counts[3] / 4000.0, 0.03, 0.07);
    }

    [Fact]
    public void Temperature_sharpens_the_distribution()
    {
        var counts = Histogram(new SamplingOptions { Seed = 1, Temperature = 0.25f }, 2000);

        Assert.True(counts[0] / 2000.0 > 0.85, $"p(top) = {counts[0] / 2000.0}");
    }

    [Fact]
    public void Top_k_keeps_only_the_k_best()
    {
        var counts = Histogram(new SamplingOptions { Seed = 2, TopK = 2 }, 2000);

        Assert.True(counts[0] > 0 && counts[1] > 0);
        Assert.Equal(0, counts[2] + counts[3]);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p()
    {
        var counts = Histogram(new SamplingOptions { Seed = 3, TopP = 0.7f }, 2000);

        Assert.True(counts[0] > 0 && counts[1] > 0);
        Assert.Equal(0, counts[2] + counts[3]);
    }

    [Fact]
    public void Min_p_drops_tokens_below_a_fraction_of_the_best()
    {
        var counts = Histogram(new SamplingOptions { Seed = 4, MinP = 0.5f }, 2000);

        Assert.True(counts[0] > 0 && counts[1] > 0);
        Assert.Equal(0, counts[2] + counts[3]);
    }

    [Fact]
    public void Top_p_over_a_large_vocabulary_is_exact_for_peaked_and_flat_distributions()
    {
        const int vocab = 1000;
        var peaked = new Sampler(vocab, new SamplingOptions { Seed = 5, TopP = 0.9f });
        var flat = new Sampler(vocab, new SamplingOptions { Seed = 5, TopP = 0.5f });
        for (int i = 0; i < 300; i++)
        {
            var logits = new float[vocab];
            logits[10] = 10f;
            logits[20] = 9.5f; // e^10 : e^9.5 with 998 tokens at e^0: the two hold > 99.9%
            int token = peaked.Sample(logits, []);
            Assert.True(token is 10 or 20, $"drew {token}");

            int uniform = flat.Sample(new float[vocab], []);
            Assert.InRange(uniform, 0, 509); // equal probabilities: the first half (by id) forms the nucleus
        }
    }

    [Theory]
    [InlineData(-1f, 0, 1f, 0f, 1f, "Temperature")]
    [InlineData(1f, -1, 1f, 0f, 1f, "TopK")]
    [InlineData(1f, 0, 0f, 0f, 1f, "TopP")]
    [InlineData(1f, 0, 1.5f, 0f, 1f, "TopP")]
    [InlineData(1f, 0, 1f, 2f, 1f, "MinP")]
    [InlineData(1f, 0, 1f, 0f, 0f, "RepetitionPenalty")]
    [InlineData(float.NaN, 0, 1f, 0f, 1f, "Temperature")]
    public void Invalid_options_are_refused_by_name(float temperature, int topK, float topP, float minP, float penalty, string name)
    {
        var options = new SamplingOptions { Temperature = temperature, TopK = topK, TopP = topP, MinP = minP, RepetitionPenalty = penalty };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(name, error.ParamName);
    }

    private static int[] Histogram(SamplingOptions options, int draws)
    {
        var sampler = new Sampler(4, options);
        var counts = new int[4];
        for (int i = 0; i < draws; i++)
        {
            counts[sampler.Sample((float[])FourWay.Clone(), [])]++;
        }

        return counts;
    }
}
