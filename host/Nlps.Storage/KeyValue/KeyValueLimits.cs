using System.Text;

namespace Nlps.Storage.KeyValue;

/// <summary>The limits the SDK promises for keys and values, and the prefix arithmetic behind exact prefix listing.</summary>
public static class KeyValueLimits
{
    /// <summary>The longest key, in Unicode characters (code points).</summary>
    public const int MaxKeyLength = 512;

    /// <summary>The largest value, in bytes (16 MiB).</summary>
    public const int MaxValueBytes = 16 * 1024 * 1024;

    private const int MaxCodePoint = 0x10FFFF;

    /// <summary>Throws unless <paramref name="key"/> is 1 to <see cref="MaxKeyLength"/> characters of well-formed Unicode without NUL.</summary>
    /// <param name="key">The key to check.</param>
    /// <param name="parameterName">The caller's parameter name, for the exception.</param>
    public static void ValidateKey(string key, string parameterName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, parameterName);
        var length = CountCharacters(key, parameterName, "key");
        if (length == 0 || length > MaxKeyLength)
        {
            throw new ArgumentException($"a key must be 1 to {MaxKeyLength} characters long; this one has {length}", parameterName);
        }
    }

    /// <summary>Throws unless <paramref name="prefix"/> is well-formed Unicode without NUL (empty is allowed).</summary>
    /// <param name="prefix">The prefix to check.</param>
    /// <param name="parameterName">The caller's parameter name, for the exception.</param>
    public static void ValidatePrefix(string prefix, string parameterName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, parameterName);
        CountCharacters(prefix, parameterName, "prefix");
    }

    /// <summary>Throws unless <paramref name="length"/> bytes fit in one value.</summary>
    /// <param name="length">The value's length in bytes.</param>
    /// <param name="parameterName">The caller's parameter name, for the exception.</param>
    public static void ValidateValueLength(int length, string parameterName = "value")
    {
        if (length > MaxValueBytes)
        {
            throw new ArgumentException($"a value may be at most {MaxValueBytes} bytes (16 MiB); this one has {length}", parameterName);
        }
    }

    /// <summary>
    /// The smallest string greater than every string that starts with <paramref name="prefix"/>, in code-point order
    /// (SQLite's BINARY collation on UTF-8); null when no such string exists (the prefix is all U+10FFFF).
    /// Keys starting with the prefix are then exactly those with <c>prefix &lt;= key &lt; upper bound</c>.
    /// </summary>
    /// <param name="prefix">A non-empty, well-formed prefix.</param>
    public static string? UpperBoundOfPrefix(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        for (var last = runes.Count - 1; last >= 0; last--)
        {
            if (runes[last].Value == MaxCodePoint)
            {
                continue;
            }

            // The code point after U+D7FF is U+E000: surrogates are not characters.
            var next = runes[last].Value == 0xD7FF ? new Rune(0xE000) : new Rune(runes[last].Value + 1);
            var builder = new StringBuilder(prefix.Length + 1);
            for (var i = 0; i < last; i++)
            {
                builder.Append(runes[i].ToString());
            }

            return builder.Append(next.ToString()).ToString();
        }

        return null;
    }

    private static int CountCharacters(string text, string parameterName, string what)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++, count++)
        {
            var c = text[i];
            if (c == '\0')
            {
                throw new ArgumentException($"a {what} must not contain NUL characters", parameterName);
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                // A lone surrogate would be stored as U+FFFD, so two different keys could collide.
                throw new ArgumentException($"a {what} must be well-formed Unicode; this one has a lone surrogate at index {i}", parameterName);
            }
        }

        return count;
    }
}
