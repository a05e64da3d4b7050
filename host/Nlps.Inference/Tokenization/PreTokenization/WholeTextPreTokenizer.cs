namespace Nlps.Inference.Tokenization.PreTokenization;

/// <summary>No pre-tokenizer (<c>"pre_tokenizer": null</c>): the whole section is one word, as in Llama 2's tokenizer.json.</summary>
internal sealed class WholeTextPreTokenizer : PreTokenizer
{
    public static readonly WholeTextPreTokenizer Instance = new();

    public override void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> pieces)
    {
        if (!text.IsEmpty)
        {
            pieces.Add((0, text.Length));
        }
    }
}
