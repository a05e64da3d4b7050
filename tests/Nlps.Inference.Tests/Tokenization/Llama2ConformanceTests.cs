using static Nlps.Inference.Tests.Tokenization.Llama3ConformanceTests;

namespace Nlps.Inference.Tests.Tokenization;

/// <summary>
/// Llama 2 (SentencePiece-style BPE: '▁' normalizer, byte fallback) against transformers.js on the same corpus.
/// </summary>
public sealed class Llama2ConformanceTests
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Cases = new(() => ConformanceCase.Load("llama2.expected.jsonl"));

    [Fact]
    public void Encode_without_special_tokens_matches_reference_ids() =>
        AssertAll(Cases.Value, c => Same(c.Ids, TestAssets.Llama2.Encode(c.Text, addSpecialTokens: false)));

    [Fact]
    public void Encode_with_special_tokens_prepends_bos_like_reference() =>
        AssertAll(Cases.Value, c => c.IdsSpecial[0] == 1 && Same(c.IdsSpecial, TestAssets.Llama2.Encode(c.Text, addSpecialTokens: true)));

    [Fact]
    public void Decode_matches_reference_text() =>
        AssertAll(Cases.Value, c => TestAssets.Llama2.Decode(c.IdsSpecial, skipSpecialTokens: false) == c.Decoded);

    [Fact]
    public void Decode_skipping_special_tokens_matches_reference_text() =>
        AssertAll(Cases.Value, c => TestAssets.Llama2.Decode(c.IdsSpecial, skipSpecialTokens: true) == c.DecodedSkip);

    [Fact]
    public void Streaming_decode_token_by_token_concatenates_to_reference_text() =>
        AssertAll(Cases.Value, c => StreamAll(TestAssets.Llama2, c.IdsSpecial, skipSpecialTokens: true) == c.DecodedSkip);
}
