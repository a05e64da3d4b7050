using System.Security.Cryptography;
using System.Text;

namespace Nlps.Api.Security.ApiKeys;

/// <summary>
/// The text of an API key: <c>nlps_</c> + a 12-hex-digit public id + <c>_</c> + 43 base64url characters of secret
/// (256 random bits). The id lets a presented key find its row directly; only the SHA-256 of the whole text is stored.
/// </summary>
/// <remarks>
/// A fast hash is enough here, unlike for passwords: slow hashes (PBKDF2, Argon2) exist to make guessing low-entropy
/// secrets expensive, and a 256-bit random secret cannot be guessed at any hashing speed, so a stolen database gives
/// nothing to try. SHA-256 keeps the check per request at a microsecond.
/// </remarks>
public static class ApiKeyText
{
    /// <summary>What every API key starts with (the admin token starts with <c>nlps_admin_</c>, which is not hex).</summary>
    public const string Prefix = "nlps_";

    private const int IdLength = 12;
    private const int SecretLength = 43;

    /// <summary>The length of every key text.</summary>
    public const int Length = 5 + IdLength + 1 + SecretLength;

    /// <summary>A new key: its id and its full text (shown once).</summary>
    public static (string Id, string Text) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>True when <paramref name="text"/> has the shape of an API key; <paramref name="id"/> is its public id.</summary>
    /// <param name="text">The presented credential.</param>
    /// <param name="id">The key id.</param>
    public static bool TryParse(ReadOnlySpan<char> text, out string id)
    {
        id = string.Empty;
        if (text.Length != Length || !text.StartsWith(Prefix, StringComparison.Ordinal) || text[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var idPart = text.Slice(Prefix.Length, IdLength);
        foreach (var c in idPart)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        foreach (var c in text[(Prefix.Length + IdLength + 1)..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        id = idPart.ToString();
        return true;
    }

    /// <summary>SHA-256 of the key text (UTF-8).</summary>
    /// <param name="text">The key text.</param>
    public static byte[] Hash(ReadOnlySpan<char> text)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var count = Encoding.UTF8.GetBytes(text, utf8);
        return SHA256.HashData(utf8[..count]);
    }
}
