namespace Nlps.Inference.Tokenization.Normalization;

/// <summary><c>{"type": "Replace", "pattern": {"String": …}}</c>: replaces every occurrence of a literal string.</summary>
internal sealed class ReplaceNormalizer(string pattern, string content) : TextNormalizer
{
    public override string Normalize(string text) => text.Replace(pattern, content, StringComparison.Ordinal);
}
