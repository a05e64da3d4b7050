using System.Text;

namespace Nlps.Inference.Tokenization.Normalization;

/// <summary>
/// <c>{"type": "Precompiled"}</c> (SentencePiece's <c>nmt_nfkc</c> rules, XLM-R): drops C0/C1 control characters,
/// turns whitespace-like characters (and '▁', U+FFFD) into ' ', then NFKC with U+FF5E kept as is. The embedded
/// <c>precompiled_charsmap</c> is not interpreted: these rules are what it encodes for nmt_nfkc models, and they are
/// what the reference implementation (transformers.js) applies.
/// </summary>
internal sealed class PrecompiledNormalizer : TextNormalizer
{
    public override string Normalize(string text)
    {
        var output = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is (>= '\u0001' and <= '\u0008') or '\u000B' or (>= '\u000E' and <= '\u001F') or '\u007F' or '\u008F' or '\u009F')
            {
                continue;
            }

            output.Append(IsSpaceLike(c) ? ' ' : c);
        }

        var cleaned = output.ToString();
        if (!cleaned.Contains('\uFF5E', StringComparison.Ordinal))
        {
            return Nfkc(cleaned);
        }

        return string.Join('\uFF5E', cleaned.Split('\uFF5E').Select(Nfkc));
    }

    private static string Nfkc(string text) => text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);

    private static bool IsSpaceLike(char c) => c is '\t' or '\n' or '\f' or '\r' or '\u00A0' or '\u1680' or '\u2028' or '\u2029'
        or '\u202F' or '\u205F' or '\u2581' or '\u3000' or '\uFEFF' or '\uFFFD' or (>= '\u2000' and <= '\u200F');
}
