namespace Nlps.Agents.Chatbot.Chunking;

/// <summary>
/// A tokenizer-free token count for sizing chunks: one per Hangul/CJK character (Korean BPE vocabularies average
/// about one token per syllable), one per four other letters or digits of a word, one per punctuation mark.
/// </summary>
internal static class TokenEstimate
{
    public static int Count(string text)
    {
        var tokens = 0;
        var latinRun = 0;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) && c < 0x1100)
            {
                latinRun++;
                continue;
            }

            tokens += (latinRun + 3) / 4;
            latinRun = 0;
            if (char.IsLetterOrDigit(c) || char.IsPunctuation(c) || char.IsSymbol(c))
            {
                tokens++;
            }
        }

        return tokens + ((latinRun + 3) / 4);
    }
}
