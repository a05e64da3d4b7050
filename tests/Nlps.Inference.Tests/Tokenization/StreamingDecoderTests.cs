using System.Text;

namespace Nlps.Inference.Tests.Tokenization;

public sealed class StreamingDecoderTests
{
    [Fact]
    public void Korean_syllables_split_across_tokens_are_held_back_until_complete()
    {
        var tokenizer = TestAssets.Llama3;
        // Common syllables are whole tokens in Llama 3; rare ones (뷁, 똠, 쀍) are split into byte tokens.
        const string text = "금융실명제는 1993년에 도입되었다. 뷁 똠얌꿍 쀍";
        var ids = tokenizer.Encode(text, addSpecialTokens: false);

        // The point of the test: some token must end in the middle of a syllable.
        var splitsAChar = ids.Any(id => tokenizer.Decode([id], false).Contains('\uFFFD', StringComparison.Ordinal));
        Assert.True(splitsAChar);

        var decoder = tokenizer.CreateStreamingDecoder(skipSpecialTokens: false);
        var streamed = new StringBuilder();
        var emptyPushes = 0;
        foreach (var id in ids)
        {
            var piece = decoder.Push(id);
            Assert.DoesNotContain('\uFFFD', piece);
            emptyPushes += piece.Length == 0 ? 1 : 0;
            streamed.Append(piece);
        }

        Assert.True(emptyPushes > 0);
        Assert.Equal(string.Empty, decoder.Flush());
        Assert.Equal(text, streamed.ToString());
    }

    [Fact]
    public void Flush_replaces_an_incomplete_trailing_character()
    {
        var tokenizer = TestAssets.Llama3;
        var firstByteOfHan = tokenizer.TokenToId("ê")!.Value; // byte 0xEA, the lead byte of 금 (EA B8 88)
        var decoder = tokenizer.CreateStreamingDecoder(skipSpecialTokens: false);
        Assert.Equal(string.Empty, decoder.Push(firstByteOfHan));
        Assert.Equal("\uFFFD", decoder.Flush());
    }

    [Fact]
    public void Byte_fallback_tokens_assemble_into_one_character()
    {
        // 𠀀 (U+20000) is not in Llama 2's vocabulary: it encodes as four <0xNN> byte tokens.
        var tokenizer = TestAssets.Llama2;
        var ids = tokenizer.Encode("𠀀", addSpecialTokens: false);
        var byteTokens = ids.Where(id => tokenizer.IdToToken(id).StartsWith("<0x", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, byteTokens.Count);

        var decoder = tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
        var pieces = ids.Select(decoder.Push).ToList();
        Assert.Equal("𠀀", pieces[^1]);
        Assert.All(pieces[..^1], p => Assert.Equal(string.Empty, p)); // '▁' (the stripped prefix space), then 3 partial bytes
        Assert.Equal(string.Empty, decoder.Flush());
    }

    [Fact]
    public void Sentencepiece_drops_only_the_first_leading_space()
    {
        var tokenizer = TestAssets.Llama2;
        var ids = tokenizer.Encode("Hello world", addSpecialTokens: true);
        var decoder = tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
        Assert.Equal("Hello world", string.Concat(ids.Select(decoder.Push)) + decoder.Flush());
        Assert.Equal("Hello world", tokenizer.Decode([.. ids], skipSpecialTokens: true));
    }
}
