using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nlps.Inference.Tests.Tokenization;

/// <summary>One corpus line and what the reference (transformers.js) tokenizer produced for it.</summary>
public sealed record ConformanceCase(
    int Line,
    string Text,
    [property: JsonPropertyName("ids")] int[] Ids,
    [property: JsonPropertyName("ids_special")] int[] IdsSpecial,
    [property: JsonPropertyName("decoded")] string Decoded,
    [property: JsonPropertyName("decoded_skip")] string DecodedSkip)
{
    public static IReadOnlyList<ConformanceCase> Load(string expectedFile)
    {
        var texts = File.ReadAllLines(TestAssets.Path("corpus.jsonl"));
        var expected = File.ReadAllLines(TestAssets.Path(expectedFile));
        Assert.Equal(texts.Length, expected.Length);
        var cases = new List<ConformanceCase>(texts.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            var text = JsonSerializer.Deserialize<string>(texts[i])!;
            var e = JsonSerializer.Deserialize<ConformanceCase>(expected[i])!;
            cases.Add(e with { Line = i + 1, Text = text });
        }

        return cases;
    }
}
