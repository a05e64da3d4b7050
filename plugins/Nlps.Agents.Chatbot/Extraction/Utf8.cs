using System.Text;

namespace Nlps.Agents.Chatbot.Extraction;

/// <summary>Strict UTF-8 decoding: a file in another encoding fails with a clear reason instead of turning into U+FFFD.</summary>
internal static class Utf8
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(byte[] content, string name)
    {
        try
        {
            var text = Strict.GetString(content);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException ex)
        {
            throw new ExtractionException($"{name}: not UTF-8 text (convert it to UTF-8, e.g. from CP949/EUC-KR, and upload it again)", ex);
        }
    }
}
