using System.Text.Json;
using Nlps.Cli.Commands;
using Nlps.Inference.Tokenization;
using Nlps.Testing;

namespace Nlps.Cli.Tests.Commands;

public sealed class TokenizeCommandTests
{
    private static readonly string Assets = Path.Combine(AppContext.BaseDirectory, "tokenizers");

    [Fact]
    public async Task Each_line_becomes_the_ids_the_reference_llama3_tokenizer_gives_and_decode_reverses_it()
    {
        var (texts, expected) = Corpus();
        ITokenizer tokenizer = TokenizerJson.Load(Path.Combine(Assets, "tokenizer.json"));

        using var encoded = new StringWriter();
        Assert.Equal(0, await TokenizeCommand.RunAsync(tokenizer, new StringReader(string.Join('\n', texts)), encoded, TextWriter.Null, decode: false, specialTokens: true, CancellationToken.None));
        string[] lines = encoded.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Select(e => JsonSerializer.Serialize(e.GetProperty("ids_special"))), lines);

        using var decoded = new StringWriter();
        Assert.Equal(0, await TokenizeCommand.RunAsync(tokenizer, new StringReader(encoded.ToString()), decoded, TextWriter.Null, decode: true, specialTokens: false, CancellationToken.None));
        Assert.Equal(expected.Select(e => e.GetProperty("decoded_skip").GetString()), decoded.ToString().Split('\n')[..^1]);
    }

    [Fact]
    public async Task Without_special_tokens_there_is_no_bos()
    {
        var (texts, expected) = Corpus();
        ITokenizer tokenizer = TokenizerJson.Load(Path.Combine(Assets, "tokenizer.json"));
        using var output = new StringWriter();
        await TokenizeCommand.RunAsync(tokenizer, new StringReader(texts[0]), output, TextWriter.Null, decode: false, specialTokens: false, CancellationToken.None);
        Assert.Equal(JsonSerializer.Serialize(expected[0].GetProperty("ids")), output.ToString().TrimEnd('\n'));
    }

    [Theory]
    [InlineData("[1,2]\n[1, -3]\n")]
    [InlineData("[1,2]\nhello\n")]
    [InlineData("[1,2]\n[999999999]\n")]
    public async Task A_line_that_is_not_an_id_array_stops_decoding_with_its_number(string input)
    {
        ITokenizer tokenizer = TokenizerJson.Load(Path.Combine(Assets, "tokenizer.json"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await TokenizeCommand.RunAsync(tokenizer, new StringReader(input), output, error, decode: true, specialTokens: true, CancellationToken.None));
        Assert.Contains("line 2", error.ToString(), StringComparison.Ordinal);
        Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Nlpsctl_refuses_an_unreadable_tokenizer_file_by_name()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"nlps-missing-{Guid.NewGuid():N}", "tokenizer.json");
        var result = await ProcessRunner.RunDotnetToolAsync(RepositoryPaths.Nlpsctl, ["tokenize", "--tokenizer", missing], guard: TimeSpan.FromSeconds(90));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("invalid_tokenizer", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(missing, result.StandardError, StringComparison.Ordinal);
    }

    // Corpus lines that are one stdin line each (no embedded line breaks), with the reference's expected output.
    private static (string[] Texts, JsonElement[] Expected) Corpus()
    {
        var texts = File.ReadAllLines(Path.Combine(Assets, "corpus.jsonl")).Select(l => JsonSerializer.Deserialize<string>(l)!).ToArray();
        var expected = File.ReadAllLines(Path.Combine(Assets, "llama3_1.expected.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        int[] keep = Enumerable.Range(0, texts.Length).Where(i => texts[i].IndexOfAny(['\n', '\r']) < 0 && texts[i].Length > 0).ToArray();
        Assert.True(keep.Length > 1000);
        return (keep.Select(i => texts[i]).ToArray(), keep.Select(i => expected[i]).ToArray());
    }
}
