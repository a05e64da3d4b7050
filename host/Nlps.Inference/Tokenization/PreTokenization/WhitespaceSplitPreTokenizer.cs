namespace Nlps.Inference.Tokenization.PreTokenization;

/// <summary><c>{"type": "WhitespaceSplit"}</c>: the runs of non-whitespace.</summary>
internal sealed class WhitespaceSplitPreTokenizer : PreTokenizer
{
    public static readonly WhitespaceSplitPreTokenizer Instance = new();

    public override void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> pieces)
    {
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (JsText.IsWhiteSpace(text[i]))
            {
                if (start >= 0)
                {
                    pieces.Add((start, i - start));
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            pieces.Add((start, text.Length - start));
        }
    }
}
