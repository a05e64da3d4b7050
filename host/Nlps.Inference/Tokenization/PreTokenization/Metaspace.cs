namespace Nlps.Inference.Tokenization.PreTokenization;

/// <summary>
/// <c>{"type": "Metaspace"}</c> as the last pre-tokenizer step: in each piece, spaces become the replacement ('▁')
/// and, with <c>prepend_scheme</c> "always", one is put in front unless the piece already starts with it; with
/// <c>split</c> the result is cut before every replacement character (SentencePiece words).
/// </summary>
internal sealed class Metaspace(char replacement, bool prepend, bool split)
{
    public void Encode(ReadOnlySpan<char> piece, ITokenModel model, List<int> output)
    {
        var text = piece.ToString().Replace(' ', replacement);
        if (prepend && (text.Length == 0 || text[0] != replacement))
        {
            text = replacement + text;
        }

        if (!split)
        {
            model.EncodeWord(text, output);
            return;
        }

        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == replacement)
            {
                model.EncodeWord(text.AsSpan(start, i - start), output);
                start = i;
            }
        }
    }
}
