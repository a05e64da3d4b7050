using Nlps.Inference.Tokenization;

namespace Nlps.Inference.ChatTemplates;

/// <summary>Turns rendered prompt pieces into token ids: special tokens are recognised in template pieces only.</summary>
public static class ChatPrompt
{
    public static List<int> Encode(ITokenizer tokenizer, IReadOnlyList<PromptPiece> pieces)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(pieces);
        var ids = new List<int>();
        foreach (PromptPiece piece in pieces)
        {
            if (piece.IsTemplate)
            {
                tokenizer.Encode(piece.Text, ids, addSpecialTokens: false);
            }
            else
            {
                tokenizer.EncodeOrdinary(piece.Text, ids);
            }
        }

        return ids;
    }

    /// <summary>The whole prompt as one string (what the Jinja template would print).</summary>
    public static string Text(IReadOnlyList<PromptPiece> pieces) => string.Concat(pieces.Select(p => p.Text));
}
