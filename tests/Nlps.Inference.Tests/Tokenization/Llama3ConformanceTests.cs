using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Tests.Tokenization;

/// <summary>
/// Llama 3.1 against transformers.js on the 2,200-line corpus (assets/tokenizers/generate-expected.mjs).
/// Each test checks every line and reports all mismatching lines, not just the first.
/// </summary>
public sealed class Llama3ConformanceTests
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Cases = new(() => ConformanceCase.Load("llama3_1.expected.jsonl"));

    [Fact]
    public void Corpus_is_large_and_varied_enough()
    {
        Assert.True(Cases.Value.Count >= 2000);
        Assert.Contains(Cases.Value, c => c.Text.Contains("금융실명제", StringComparison.Ordinal));
        Assert.Contains(Cases.Value, c => c.Text.Contains("<|eot_id|>", StringComparison.Ordinal));
        Assert.Contains(Cases.Value, c => c.Text.Contains("😀", StringComparison.Ordinal));
    }

    [Fact]
    public void Encode_without_special_tokens_matches_reference_ids() =>
        AssertAll(Cases.Value, c => Same(c.Ids, TestAssets.Llama3.Encode(c.Text, addSpecialTokens: false)));

    [Fact]
    public void Encode_with_special_tokens_prepends_begin_of_text_like_reference() =>
        AssertAll(Cases.Value, c => c.IdsSpecial[0] == 128000 && Same(c.IdsSpecial, TestAssets.Llama3.Encode(c.Text, addSpecialTokens: true)));

    [Fact]
    public void CountTokens_equals_number_of_reference_ids() =>
        AssertAll(Cases.Value, c => TestAssets.Llama3.CountTokens(c.Text) == c.Ids.Length);

    [Fact]
    public void Decode_matches_reference_text() =>
        AssertAll(Cases.Value, c => TestAssets.Llama3.Decode(c.IdsSpecial, skipSpecialTokens: false) == c.Decoded);

    [Fact]
    public void Decode_skipping_special_tokens_matches_reference_text() =>
        AssertAll(Cases.Value, c => TestAssets.Llama3.Decode(c.IdsSpecial, skipSpecialTokens: true) == c.DecodedSkip);

    [Fact]
    public void Streaming_decode_token_by_token_concatenates_to_reference_text() =>
        AssertAll(Cases.Value, c => StreamAll(TestAssets.Llama3, c.IdsSpecial, skipSpecialTokens: true) == c.DecodedSkip);

    internal static string StreamAll(ITokenizer tokenizer, int[] ids, bool skipSpecialTokens)
    {
        var decoder = tokenizer.CreateStreamingDecoder(skipSpecialTokens);
        var text = new System.Text.StringBuilder();
        foreach (var id in ids)
        {
            var piece = decoder.Push(id);
            Assert.DoesNotContain('\uFFFD', piece);
            text.Append(piece);
        }

        return text.Append(decoder.Flush()).ToString();
    }

    internal static bool Same(int[] expected, IReadOnlyList<int> actual) => expected.AsSpan().SequenceEqual([.. actual]);

    internal static void AssertAll(IReadOnlyList<ConformanceCase> cases, Func<ConformanceCase, bool> check)
    {
        var failed = cases.Where(c => !check(c)).Select(c => c.Line).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {cases.Count} lines differ; first lines: {string.Join(", ", failed.Take(20))}");
    }
}
