using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Nlps.Inference.Tokenization.Bpe;

namespace Nlps.Inference.Tokenization.Decoding;

/// <summary>
/// The <c>decoder</c> of tokenizer.json reduced to what Llama-family tokenizers use: each id contributes a fixed
/// byte string (byte-level characters mapped back to bytes, or '▁' turned into a space, or the byte of a
/// <c>&lt;0xNN&gt;</c> fallback token), and optionally the first leading space of the text is dropped.
/// </summary>
internal sealed class TokenDecoder
{
    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private readonly bool[] _isFallbackByte;

    private TokenDecoder(byte[] bytes, int[] offsets, bool[] isFallbackByte, bool stripLeadingSpace)
    {
        _bytes = bytes;
        _offsets = offsets;
        _isFallbackByte = isFallbackByte;
        StripLeadingSpace = stripLeadingSpace;
    }

    /// <summary>Whether the decoded text loses one leading space (SentencePiece's prefix space).</summary>
    public bool StripLeadingSpace { get; }

    public int Count => _offsets.Length - 1;

    /// <summary>Builds the per-id bytes for the ids of <paramref name="idToToken"/>.</summary>
    public static TokenDecoder Create(IReadOnlyList<string> idToToken, DecoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(idToToken);
        ArgumentNullException.ThrowIfNull(spec);
        var all = new List<byte>(idToToken.Count * 6);
        var offsets = new int[idToToken.Count + 1];
        var isFallbackByte = new bool[idToToken.Count];
        for (var id = 0; id < idToToken.Count; id++)
        {
            offsets[id] = all.Count;
            var token = idToToken[id] ?? string.Empty;
            if (spec.ByteFallback && TryParseFallbackByte(token, out var value))
            {
                all.Add(value);
                isFallbackByte[id] = true;
            }
            else if (spec.ByteLevel && TryUnmapByteLevel(token, all))
            {
                // Appended by TryUnmapByteLevel.
            }
            else if (spec.WordPiecePrefix is { } prefix)
            {
                var text = token.StartsWith(prefix, StringComparison.Ordinal) ? token[prefix.Length..] : " " + token;
                all.AddRange(Encoding.UTF8.GetBytes(spec.WordPieceCleanup ? CleanUpTokenization(text) : text));
            }
            else
            {
                var text = spec.MetaspaceToSpace ? token.Replace('\u2581', ' ') : token;
                all.AddRange(Encoding.UTF8.GetBytes(text));
            }
        }

        offsets[idToToken.Count] = all.Count;
        return new TokenDecoder([.. all], offsets, isFallbackByte, spec.StripLeadingSpace);
    }

    /// <summary>The bytes id <paramref name="id"/> contributes; layout is one flat array indexed by offsets[id]..offsets[id+1].</summary>
    public ReadOnlySpan<byte> BytesOf(int id)
    {
        if ((uint)id >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id outside the vocabulary (0..{Count - 1}).");
        }

        return _bytes.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);
    }

    /// <summary>Whether id is a <c>&lt;0xNN&gt;</c> byte-fallback token.</summary>
    public bool IsFallbackByte(int id) => _isFallbackByte[id];

    /// <summary>
    /// Decodes the kept ids. Ordinary tokens are valid UTF-8 by construction; a run of byte-fallback tokens that
    /// is not valid UTF-8 becomes one U+FFFD per byte (Hugging Face <c>ByteFallback</c>), while byte-level
    /// vocabularies decode the whole byte string lossily (Rust <c>from_utf8_lossy</c>).
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids, Func<int, bool> keep)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(16, ids.Length * 4));
        var i = 0;
        while (i < ids.Length)
        {
            var id = ids[i];
            if (!keep(id))
            {
                i++;
                continue;
            }

            if (!_isFallbackByte[id])
            {
                buffer.Write(BytesOf(id));
                i++;
                continue;
            }

            var runStart = buffer.WrittenCount;
            var runLength = 0;
            while (i < ids.Length && (!keep(ids[i]) || _isFallbackByte[ids[i]]))
            {
                if (keep(ids[i]))
                {
                    buffer.Write(BytesOf(ids[i]));
                    runLength++;
                }

                i++;
            }

            if (!Utf8.IsValid(buffer.WrittenSpan[runStart..]))
            {
                buffer.ResetWrittenCount();
                return DecodeWithInvalidRuns(ids, keep);
            }
        }

        return ToText(buffer.WrittenSpan);
    }

    private string DecodeWithInvalidRuns(ReadOnlySpan<int> ids, Func<int, bool> keep)
    {
        var text = new StringBuilder();
        var run = new List<byte>();
        foreach (var id in ids)
        {
            if (!keep(id))
            {
                continue;
            }

            if (_isFallbackByte[id])
            {
                run.Add(BytesOf(id)[0]);
                continue;
            }

            FlushRun(run, text);
            text.Append(Encoding.UTF8.GetString(BytesOf(id)));
        }

        FlushRun(run, text);
        var decoded = text.ToString();
        return StripLeadingSpace && decoded.StartsWith(' ') ? decoded[1..] : decoded;
    }

    private static void FlushRun(List<byte> run, StringBuilder text)
    {
        if (run.Count == 0)
        {
            return;
        }

        var bytes = run.ToArray();
        text.Append(Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : new string('\uFFFD', bytes.Length));
        run.Clear();
    }

    private string ToText(ReadOnlySpan<byte> utf8)
    {
        if (StripLeadingSpace && !utf8.IsEmpty && utf8[0] == (byte)' ')
        {
            utf8 = utf8[1..];
        }

        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>Hugging Face's <c>clean_up_tokenization</c>: no space before . ? ! , and the English contractions.</summary>
    private static string CleanUpTokenization(string text) => text
        .Replace(" .", ".", StringComparison.Ordinal).Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal).Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal).Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal).Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal).Replace(" 're", "'re", StringComparison.Ordinal);

    private static bool TryParseFallbackByte(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
    }

    /// <summary>Appends the bytes of a byte-level token; false (nothing appended) when a character is outside the alphabet.</summary>
    private static bool TryUnmapByteLevel(string token, List<byte> destination)
    {
        foreach (var c in token)
        {
            if (ByteLevelAlphabet.ToByte(c) < 0)
            {
                return false;
            }
        }

        foreach (var c in token)
        {
            destination.Add((byte)ByteLevelAlphabet.ToByte(c));
        }

        return true;
    }
}
