using Nlps.Inference.Tokenization;

namespace Nlps.Inference.Tests.Tokenization;

/// <summary>The real tokenizer.json files and conformance data copied next to the test assembly.</summary>
internal static class TestAssets
{
    private static readonly Lazy<ITokenizer> Llama3Lazy = new(() => TokenizerJson.Load(Path("llama3_1/tokenizer.json")));
    private static readonly Lazy<ITokenizer> Llama2Lazy = new(() => TokenizerJson.Load(Path("llama2/tokenizer.json")));

    /// <summary>Meta Llama 3.1's tokenizer (byte-level BPE, 128,256 ids).</summary>
    public static ITokenizer Llama3 => Llama3Lazy.Value;

    /// <summary>Meta Llama 2's tokenizer (SentencePiece-style BPE with byte fallback, 32,000 ids).</summary>
    public static ITokenizer Llama2 => Llama2Lazy.Value;

    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "assets", "tokenizers", relative);
}
