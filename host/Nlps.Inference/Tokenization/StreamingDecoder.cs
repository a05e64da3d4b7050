using System.Text;
using Nlps.Inference.Tokenization.Decoding;

namespace Nlps.Inference.Tokenization;

/// <summary>
/// Turns ids into text one at a time while a model generates. A character whose UTF-8 bytes are split across
/// tokens (a Korean syllable is 3 bytes and often is) is held back until its last byte arrives, so every piece
/// returned is complete text and the pieces concatenate to what <see cref="ITokenizer.Decode"/> returns for the
/// same ids. Not thread-safe: one instance per generated sequence.
/// </summary>
public sealed class StreamingDecoder
{
    private readonly TokenDecoder _tokens;
    private readonly bool[]? _skip;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];
    private bool _atStart = true;

    internal StreamingDecoder(TokenDecoder tokens, bool[]? skip)
    {
        _tokens = tokens;
        _skip = skip;
    }

    /// <summary>Adds one id; returns the text it completes (empty while a character is still incomplete).</summary>
    public string Push(int id)
    {
        var bytes = _tokens.BytesOf(id);
        if (_skip is not null && _skip[id])
        {
            return string.Empty;
        }

        // SentencePiece drops one space at the very start of the text, not one per token.
        if (_atStart && !bytes.IsEmpty)
        {
            _atStart = false;
            if (_tokens.StripLeadingSpace && bytes[0] == (byte)' ')
            {
                bytes = bytes[1..];
            }
        }

        return Convert(bytes, flush: false);
    }

    /// <summary>Ends the sequence: returns what is still held back, with U+FFFD for an incomplete character.</summary>
    public string Flush()
    {
        var text = Convert([], flush: true);
        _atStart = true;
        return text;
    }

    private string Convert(ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = _utf8.GetCharCount(bytes, flush);
        if (needed == 0)
        {
            // Nothing completes yet; still feed the decoder so it keeps the partial sequence.
            _utf8.GetChars(bytes, [], flush);
            return string.Empty;
        }

        if (_chars.Length < needed)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var written = _utf8.GetChars(bytes, _chars, flush);
        return new string(_chars, 0, written);
    }
}
