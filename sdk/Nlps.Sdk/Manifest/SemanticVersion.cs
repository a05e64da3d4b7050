using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Nlps.Sdk.Manifest;

/// <summary>A SemVer 2.0 version: <c>major.minor.patch[-prerelease][+build]</c>, ordered by SemVer precedence.</summary>
public sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    private SemanticVersion(int major, int minor, int patch, string prerelease, string original)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
        Original = original;
    }

    /// <summary>Major version: incompatible contract changes.</summary>
    public int Major { get; }

    /// <summary>Minor version: compatible additions.</summary>
    public int Minor { get; }

    /// <summary>Patch version: fixes.</summary>
    public int Patch { get; }

    /// <summary>Pre-release label without the dash, or empty.</summary>
    public string Prerelease { get; }

    /// <summary>The text this version was parsed from.</summary>
    public string Original { get; }

    /// <summary>Parses a SemVer 2 string.</summary>
    /// <param name="text">The version text.</param>
    /// <param name="version">The parsed version when the method returns true.</param>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        if (string.IsNullOrEmpty(text) || text.Length > 128)
        {
            return false;
        }

        var core = text;
        var plus = core.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            if (!ValidIdentifiers(core[(plus + 1)..], numericNoLeadingZero: false))
            {
                return false;
            }

            core = core[..plus];
        }

        var prerelease = string.Empty;
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            prerelease = core[(dash + 1)..];
            if (!ValidIdentifiers(prerelease, numericNoLeadingZero: true))
            {
                return false;
            }

            core = core[..dash];
        }

        var parts = core.Split('.');
        if (parts.Length != 3
            || !TryParseNumber(parts[0], out var major)
            || !TryParseNumber(parts[1], out var minor)
            || !TryParseNumber(parts[2], out var patch))
        {
            return false;
        }

        version = new SemanticVersion(major, minor, patch, prerelease, text);
        return true;
    }

    /// <summary>Parses a SemVer 2 string or throws <see cref="FormatException"/>.</summary>
    /// <param name="text">The version text.</param>
    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a SemVer 2 version.");

    /// <inheritdoc />
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byNumbers = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byNumbers != 0)
        {
            return byNumbers;
        }

        return ComparePrerelease(Prerelease, other.Prerelease);
    }

    /// <inheritdoc />
    public bool Equals(SemanticVersion? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SemanticVersion other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, Prerelease);

    /// <summary>The normalised form <c>major.minor.patch[-prerelease]</c> (build metadata dropped).</summary>
    public override string ToString() =>
        Prerelease.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}")
            : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}-{Prerelease}");

    /// <summary>SemVer precedence.</summary>
    public static bool operator <(SemanticVersion left, SemanticVersion right) => Compare(left, right) < 0;

    /// <summary>SemVer precedence.</summary>
    public static bool operator >(SemanticVersion left, SemanticVersion right) => Compare(left, right) > 0;

    /// <summary>SemVer precedence.</summary>
    public static bool operator <=(SemanticVersion left, SemanticVersion right) => Compare(left, right) <= 0;

    /// <summary>SemVer precedence.</summary>
    public static bool operator >=(SemanticVersion left, SemanticVersion right) => Compare(left, right) >= 0;

    /// <summary>Equal precedence.</summary>
    public static bool operator ==(SemanticVersion? left, SemanticVersion? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Different precedence.</summary>
    public static bool operator !=(SemanticVersion? left, SemanticVersion? right) => !(left == right);

    private static int Compare(SemanticVersion? left, SemanticVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static bool TryParseNumber(string text, out int value)
    {
        value = 0;
        return text.Length > 0
            && (text.Length == 1 || text[0] != '0')
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool ValidIdentifiers(string text, bool numericNoLeadingZero)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var identifier in text.Split('.'))
        {
            if (identifier.Length == 0 || !identifier.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }

            if (numericNoLeadingZero && identifier.Length > 1 && identifier[0] == '0' && identifier.All(char.IsAsciiDigit))
            {
                return false;
            }
        }

        return true;
    }

    private static int ComparePrerelease(string left, string right)
    {
        // A release ranks above any of its pre-releases.
        if (left.Length == 0 || right.Length == 0)
        {
            return (left.Length == 0 ? 1 : 0) - (right.Length == 0 ? 1 : 0);
        }

        var a = left.Split('.');
        var b = right.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var aNumeric = a[i].All(char.IsAsciiDigit);
            var bNumeric = b[i].All(char.IsAsciiDigit);
            int c = (aNumeric, bNumeric) switch
            {
                // Numeric identifiers have no leading zeros (TryParse refuses them), so the longer is the larger and
                // equal lengths compare as text; no number type can overflow on a 100-digit identifier.
                (true, true) => a[i].Length != b[i].Length ? a[i].Length.CompareTo(b[i].Length) : string.CompareOrdinal(a[i], b[i]),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
