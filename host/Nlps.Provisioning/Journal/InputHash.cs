using System.Security.Cryptography;
using System.Text;

namespace Nlps.Provisioning.Journal;

/// <summary>A step's input hash: SHA-256 over its parts, each length-prefixed so no two part lists collide.</summary>
public static class InputHash
{
    public static string Of(params IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new StringBuilder();
        foreach (string part in parts)
        {
            text.Append(part.Length).Append(':').Append(part).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
