namespace Nlps.Inference.Tests.Tokenization;

public sealed class BpeMergeTests
{
    private static int[] Ids(Nlps.Inference.Tokenization.ITokenizer tokenizer, string text) => [.. tokenizer.Encode(text, addSpecialTokens: false)];

    [Fact]
    public void Lowest_ranked_merge_applies_first_regardless_of_position()
    {
        // "abc": merge #0 is b+c, merge #1 is a+b. Rank decides, so b+c wins and a stays alone.
        var tokenizer = new TinyTokenizerJson().Merge("b", "c").Merge("a", "b").Build();
        var bc = tokenizer.TokenToId(TinyTokenizerJson.ByteLevel("bc"))!.Value;
        Assert.Equal([tokenizer.TokenToId("a")!.Value, bc], Ids(tokenizer, "abc"));
    }

    [Fact]
    public void Equal_ranks_merge_leftmost_first()
    {
        var tokenizer = new TinyTokenizerJson().Merge("a", "a").Build();
        var aa = tokenizer.TokenToId("aa")!.Value;
        Assert.Equal([aa, tokenizer.TokenToId("a")!.Value], Ids(tokenizer, "aaa"));
    }

    [Fact]
    public void Merges_as_strings_and_as_arrays_give_the_same_ids()
    {
        var asStrings = new TinyTokenizerJson().Merge("h", "e").Merge("l", "l").Merge("he", "ll").Merge(" ", "w").Build();
        var asArrays = new TinyTokenizerJson { MergesAsArrays = true }.Merge("h", "e").Merge("l", "l").Merge("he", "ll").Merge(" ", "w").Build();
        Assert.Equal(Ids(asStrings, "hello world"), Ids(asArrays, "hello world"));
        Assert.Equal(7, Ids(asArrays, "hello world").Length); // hell o Ġw o r l d
    }

    [Fact]
    public void Ignore_merges_emits_a_whole_pre_token_found_in_the_vocabulary()
    {
        // "abc" is in the vocabulary (via merge ab+c), but merge #0 b+c fires first when merging from characters.
        static TinyTokenizerJson Build(bool ignore) =>
            new TinyTokenizerJson { IgnoreMerges = ignore }.Merge("b", "c").Merge("a", "b").Merge("ab", "c");

        var merging = Build(ignore: false).Build();
        var ignoring = Build(ignore: true).Build();
        Assert.Equal(2, Ids(merging, "abc").Length);
        Assert.Equal([ignoring.TokenToId("abc")!.Value], Ids(ignoring, "abc"));
    }

    [Fact]
    public void Llama3_ignore_merges_keeps_viet_as_one_token()
    {
        // llama.cpp PR #7193: HF gives " Việt" one token (101798); merging from bytes would give three.
        Assert.Equal([101798], Ids(TestAssets.Llama3, " Việt"));
    }

    [Theory]
    [InlineData('9', 100_000)]
    [InlineData(' ', 100_000)]
    [InlineData('a', 100_000)]
    [InlineData('가', 100_000)]
    public void Pathological_long_runs_encode_and_round_trip(char c, int length)
    {
        var text = new string(c, length);
        // Quadratic merging of a 100k-symbol word takes minutes (the suite would stall); the heap takes well under
        // a second. Its speed is measured in bench/, not asserted here.
        var ids = TestAssets.Llama3.Encode(text, addSpecialTokens: false);
        Assert.Equal(text, TestAssets.Llama3.Decode([.. ids], skipSpecialTokens: false));
    }

    [Fact]
    public void One_megabyte_line_counts_as_the_sum_of_its_pieces_and_round_trips()
    {
        var sentence = "금융실명제는 1993년에 도입되었다. The Fed held rates at 5.25%; don't panic 🚀 ";
        var builder = new System.Text.StringBuilder();
        var i = 0;
        while (builder.Length < 1_000_000)
        {
            builder.Append(sentence).Append(i++);
        }

        var text = builder.ToString();
        var count = TestAssets.Llama3.CountTokens(text);

        // Encoding is local to pre-tokens, so the whole line counts as the sum of its pieces.
        var one = TestAssets.Llama3.CountTokens(sentence + "0");
        Assert.True(count > one * (i - 1) / 2, $"{count} tokens");
        Assert.Equal(text, TestAssets.Llama3.Decode([.. TestAssets.Llama3.Encode(text, false)], false));
    }

    [Fact]
    public void Loading_rejects_a_merge_whose_tokens_are_not_in_the_vocabulary()
    {
        var json = new TinyTokenizerJson().Merge("a", "b").ToJson();
        json["model"]!["merges"]!.AsArray().Add("zz qq");
        var error = Assert.Throws<InvalidDataException>(() => TinyTokenizerJson.Load(json));
        Assert.Contains("merge #1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_rejects_an_unsupported_model_type_by_name()
    {
        var json = new TinyTokenizerJson().ToJson();
        json["model"]!["type"] = "WordLevel";
        var error = Assert.Throws<NotSupportedException>(() => TinyTokenizerJson.Load(json));
        Assert.Contains("WordLevel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_split_patterns_run_as_dotnet_regex()
    {
        // Merges never cross pre-token boundaries, so the pattern decides whether "12" can merge.
        var digitByDigit = new TinyTokenizerJson { SplitPattern = @"\d|\D+" }.Merge("1", "2").Build();
        var digitRuns = new TinyTokenizerJson { SplitPattern = @"\d+|\D+" }.Merge("1", "2").Build();
        Assert.Equal(2, Ids(digitByDigit, "12").Length);
        Assert.Equal([digitRuns.TokenToId("12")!.Value], Ids(digitRuns, "12"));
    }

    [Fact]
    public void Decode_rejects_ids_outside_the_vocabulary()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestAssets.Llama3.Decode([128256], skipSpecialTokens: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestAssets.Llama3.Decode([-1], skipSpecialTokens: false));
    }

    [Fact]
    public void Vocab_size_counts_model_vocabulary_and_added_tokens()
    {
        Assert.Equal(128_256, TestAssets.Llama3.VocabSize);
        Assert.Equal(32_000, TestAssets.Llama2.VocabSize);
    }
}
