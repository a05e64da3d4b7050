using System.Text;

namespace Nlps.Inference.Tokenization.PreTokenization;

/// <summary><c>{"type": "BertPreTokenizer"}</c>: words are runs of non-space, non-punctuation code points; each punctuation mark is a word of its own.</summary>
internal sealed class BertPreTokenizer : PreTokenizer
{
    public static readonly BertPreTokenizer Instance = new();

    public override void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> pieces)
    {
        var wordStart = -1;
        var i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed);
            if (JsText.IsWhiteSpace(rune.Value) || JsText.IsBertPunctuation(rune))
            {
                if (wordStart >= 0)
                {
                    pieces.Add((wordStart, i - wordStart));
                    wordStart = -1;
                }

                if (!JsText.IsWhiteSpace(rune.Value))
                {
                    pieces.Add((i, consumed));
                }
            }
            else if (wordStart < 0)
            {
                wordStart = i;
            }

            i += consumed;
        }

        if (wordStart >= 0)
        {
            pieces.Add((wordStart, text.Length - wordStart));
        }
    }
}
