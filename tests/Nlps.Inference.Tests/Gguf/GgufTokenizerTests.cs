using Nlps.Formats.Gguf;
using Nlps.Inference.Gguf;
using Nlps.Inference.Tests.Tokenization;
using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Tests.Gguf;

/// <summary>tokenizer.json → GGUF metadata → tokenizer: the same ids as the reference on the conformance corpus.</summary>
public sealed class GgufTokenizerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nlps-gguf-tok-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("llama3_1", 128001, "gpt2")]
    [InlineData("llama2", 2, "llama")]
    public void A_tokenizer_embedded_in_gguf_encodes_and_decodes_the_corpus_like_the_reference(string name, int eos, string model)
    {
        string path = Path.Combine(_folder, name + ".gguf");
        GgufWriter.Write(path, GgufTokenizerMetadata.FromTokenizerJson(TestAssets.Path(name + "/tokenizer.json"), [eos], chatTemplate: null), []);

        GgufMetadata metadata = GgufReader.ReadLayout(path).Metadata;
        ITokenizer tokenizer = GgufTokenizer.Read(metadata);

        Assert.Equal(model, metadata.String(GgufTokenizer.ModelKey));
        foreach (ConformanceCase c in ConformanceCase.Load(name + ".expected.jsonl"))
        {
            Assert.Equal(c.Ids, tokenizer.Encode(c.Text, addSpecialTokens: false));
            Assert.Equal(c.IdsSpecial, tokenizer.Encode(c.Text, addSpecialTokens: true));
            Assert.Equal(c.DecodedSkip, tokenizer.Decode(c.IdsSpecial, skipSpecialTokens: true));
        }
    }

    [Fact]
    public void An_unknown_pre_tokenizer_is_refused_by_name()
    {
        var metadata = new GgufMetadata("test.gguf");
        metadata.Add(GgufTokenizer.ModelKey, "gpt2");
        metadata.Add(GgufTokenizer.PreKey, "deepseek-coder");
        metadata.Add(GgufTokenizer.TokensKey, new GgufArray(GgufValueType.String, new[] { "a" }));
        metadata.Add(GgufTokenizer.MergesKey, new GgufArray(GgufValueType.String, Array.Empty<string>()));

        var error = Assert.Throws<NotSupportedException>(() => GgufTokenizer.Read(metadata));

        Assert.Contains("'deepseek-coder'", error.Message, StringComparison.Ordinal);
    }
}
