namespace Nlps.Inference.Tests.Tokenization;

public sealed class AddedTokenTests
{
    private static int[] Ids(Nlps.Inference.Tokenization.ITokenizer tokenizer, string text) => [.. tokenizer.Encode(text, addSpecialTokens: false)];

    [Fact]
    public void Special_token_strings_in_text_become_their_ids()
    {
        var ids = Ids(TestAssets.Llama3, "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>");
        Assert.Equal(128006, ids[0]);
        Assert.Equal(128007, ids[2]);
        Assert.Equal(128009, ids[^1]);
    }

    [Fact]
    public void Longest_added_token_wins_at_the_same_position()
    {
        var tokenizer = new TinyTokenizerJson().Added("<a>", special: true).Added("<a><b>", special: true).Build();
        Assert.Equal([tokenizer.TokenToId("<a><b>")!.Value], Ids(tokenizer, "<a><b>"));
    }

    [Fact]
    public void Lstrip_and_rstrip_swallow_adjacent_whitespace()
    {
        var plain = new TinyTokenizerJson().Added("<m>", special: true).Build();
        var stripping = new TinyTokenizerJson().Added("<m>", special: true, lstrip: true, rstrip: true).Build();
        var m = stripping.TokenToId("<m>")!.Value;
        Assert.Equal([stripping.TokenToId("x")!.Value, m, stripping.TokenToId("y")!.Value], Ids(stripping, "x  <m>  y"));
        Assert.Equal(7, Ids(plain, "x  <m>  y").Length); // x, " ", " ", <m>, " ", " ", y (no merges in the tiny vocab)
    }

    [Fact]
    public void Single_word_tokens_do_not_match_inside_words()
    {
        var tokenizer = new TinyTokenizerJson().Added("cat", special: false, singleWord: true).Build();
        var cat = tokenizer.TokenToId("cat")!.Value;
        Assert.Contains(cat, Ids(tokenizer, "a cat sat"));
        Assert.DoesNotContain(cat, Ids(tokenizer, "concatenate"));
    }

    [Fact]
    public void Skip_special_tokens_drops_special_but_keeps_non_special_added_tokens()
    {
        var tokenizer = new TinyTokenizerJson().Added("<s>", special: true).Added("<tool>", special: false).Build();
        var ids = Ids(tokenizer, "<s>hi<tool>");
        Assert.Equal("hi<tool>", tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Equal("<s>hi<tool>", tokenizer.Decode(ids, skipSpecialTokens: false));
        Assert.True(tokenizer.IsSpecial(ids[0]));
        Assert.False(tokenizer.IsSpecial(ids[^1]));
    }

    [Fact]
    public void Add_special_tokens_only_controls_the_post_processor_bos()
    {
        Assert.Equal([128000, 9906], TestAssets.Llama3.Encode("Hello", addSpecialTokens: true));
        Assert.Equal([9906], TestAssets.Llama3.Encode("Hello", addSpecialTokens: false));
        // A BOS written in the text is still the BOS id, so a chat template that contains it must encode without special tokens.
        Assert.Equal([128000, 9906], TestAssets.Llama3.Encode("<|begin_of_text|>Hello", addSpecialTokens: false));
    }
}
