namespace Nlps.Inference.Tokenization.Normalization;

/// <summary>A <c>normalizer</c> of tokenizer.json, applied to each section of text between added tokens.</summary>
internal abstract class TextNormalizer
{
    public abstract string Normalize(string text);
}
