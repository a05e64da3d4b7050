using Nlps.Inference.Tokenization;
using static Nlps.Inference.Tests.Tokenization.Llama3ConformanceTests;

namespace Nlps.Inference.Tests.Tokenization;

/// <summary>
/// WordPiece (BERT, cased and uncased) and Unigram (XLM-R style) tokenizers against transformers.js on the corpus
/// (assets/tokenizers/encoders/generate-expected.mjs): ids with and without the post-processor's [CLS]/[SEP] or
/// &lt;s&gt;/&lt;/s&gt;, and decoded text.
/// </summary>
public sealed class EncoderTokenizerConformanceTests
{
    public static TheoryData<string> Tokenizers => ["bert-uncased", "bert-cased", "xlmr-unigram"];

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Encode_without_special_tokens_matches_reference_ids(string name)
    {
        var tokenizer = Load(name);
        AssertAll(Cases(name), c => Same(c.Ids, tokenizer.Encode(c.Text, addSpecialTokens: false)));
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Encode_with_special_tokens_wraps_like_reference(string name)
    {
        var tokenizer = Load(name);
        AssertAll(Cases(name), c => Same(c.IdsSpecial, tokenizer.Encode(c.Text, addSpecialTokens: true)));
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Decode_matches_reference_text(string name)
    {
        var tokenizer = Load(name);
        AssertAll(Cases(name), c => tokenizer.Decode(c.IdsSpecial, skipSpecialTokens: false) == c.Decoded);
    }

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void Decode_skipping_special_tokens_matches_reference_text(string name)
    {
        var tokenizer = Load(name);
        AssertAll(Cases(name), c => tokenizer.Decode(c.IdsSpecial, skipSpecialTokens: true) == c.DecodedSkip);
    }

    [Theory]
    [InlineData("bert-uncased", "[UNK]")]
    [InlineData("bert-cased", "[UNK]")]
    [InlineData("xlmr-unigram", "<unk>")]
    public void Corpus_exercises_unknown_tokens(string name, string unknown)
    {
        var unk = Load(name).TokenToId(unknown)!.Value;
        Assert.Contains(Cases(name), c => c.Ids.Contains(unk));
    }

    [Fact]
    public void Bert_cased_word_longer_than_max_chars_is_one_unknown_token()
    {
        var tokenizer = Load("bert-cased");
        Assert.Equal([tokenizer.TokenToId("[UNK]")!.Value], tokenizer.Encode("abcdefghijklmnopqrstuvwxyz", addSpecialTokens: false));
    }

    [Fact]
    public void Unigram_picks_the_highest_scoring_segmentation_and_fuses_unknown_code_points()
    {
        var tokenizer = TokenizerJson.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("""
            {"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0], ["▁ab", -5], ["▁a", -1], ["b", -1], ["▁", -2]]},
             "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
             "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}}
            """)));
        // "▁a"+"b" scores −2, better than "▁ab" at −5; "😀😀" is two code points no piece covers: one <unk>.
        Assert.Equal([2, 3, 4, 0], tokenizer.Encode("ab 😀😀", addSpecialTokens: false));
    }

    [Fact]
    public void Unigram_with_byte_fallback_is_refused_by_name()
    {
        var error = Assert.Throws<NotSupportedException>(() => TokenizerJson.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("""
            {"model": {"type": "Unigram", "unk_id": 0, "byte_fallback": true, "vocab": [["<unk>", 0]]}, "decoder": {"type": "Fuse"}}
            """))));
        Assert.Contains("byte_fallback", error.Message, StringComparison.Ordinal);
    }

    private static ITokenizer Load(string name) => TokenizerJson.Load(TestAssets.Path($"encoders/{name}/tokenizer.json"));

    private static IReadOnlyList<ConformanceCase> Cases(string name) => ConformanceCase.Load($"encoders/{name}.expected.jsonl");
}
