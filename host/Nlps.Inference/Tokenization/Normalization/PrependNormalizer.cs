namespace Nlps.Inference.Tokenization.Normalization;

/// <summary><c>{"type": "Prepend"}</c>: puts a string (Llama 2: '▁') in front of non-empty text.</summary>
internal sealed class PrependNormalizer(string prefix) : TextNormalizer
{
    public override string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}
