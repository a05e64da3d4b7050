using System.Globalization;

namespace Nlps.Storage.Database;

/// <summary>
/// How instants are stored: ISO-8601 UTC text with a fixed width (<c>2025-01-31T09:00:00.0000000Z</c>),
/// so that comparing the text compares the instants.
/// </summary>
internal static class UtcTimestamp
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
