namespace Nlps.Inference.Tokenization.Bpe;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: every byte gets a printable character so byte sequences can live in a
/// string vocabulary. Bytes 0x21–0x7E, 0xA1–0xAC and 0xAE–0xFF map to themselves; the other 68 bytes map,
/// in order, to U+0100 and up (space → 'Ġ' U+0120, LF → 'Ċ' U+010A).
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly short[] CharToByte = BuildCharToByte();

    /// <summary>The character that stands for <paramref name="value"/>.</summary>
    public static char ToChar(byte value) => ByteToChar[value];

    /// <summary>The byte <paramref name="c"/> stands for, or -1 when it is not part of the alphabet.</summary>
    public static int ToByte(char c) => c < CharToByte.Length ? CharToByte[c] : -1;

    /// <summary>Maps each byte to its character; <paramref name="destination"/> must be at least as long as <paramref name="bytes"/>.</summary>
    public static void Map(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        var table = ByteToChar;
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[i] = table[bytes[i]];
        }
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(0x100 + next++);
        }

        return map;
    }

    private static short[] BuildCharToByte()
    {
        var reverse = new short[0x100 + 68];
        Array.Fill(reverse, (short)-1);
        for (var b = 0; b < 256; b++)
        {
            reverse[ByteToChar[b]] = (short)b;
        }

        return reverse;
    }
}
