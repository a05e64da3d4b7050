namespace Nlps.Inference.Tokenization.PreTokenization;

/// <summary>Splits normalized text into pre-tokens (the words BPE merges within).</summary>
internal abstract class PreTokenizer
{
    /// <summary>Appends the pieces of <paramref name="text"/> as (start, length) in UTF-16 units, in order and covering the text.</summary>
    public abstract void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> pieces);
}
