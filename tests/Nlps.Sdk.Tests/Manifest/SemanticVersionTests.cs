using Nlps.Sdk.Manifest;

namespace Nlps.Sdk.Tests.Manifest;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("1.2.3", 1, 2, 3, "")]
    [InlineData("0.0.0", 0, 0, 0, "")]
    [InlineData("10.20.30-alpha.1", 10, 20, 30, "alpha.1")]
    [InlineData("1.0.0-rc-1+build.007", 1, 0, 0, "rc-1")]
    [InlineData("1.0.0+20250101", 1, 0, 0, "")]
    public void Valid_versions_parse_into_their_parts(string text, int major, int minor, int patch, string prerelease)
    {
        var version = SemanticVersion.Parse(text);

        Assert.Equal((major, minor, patch, prerelease), (version.Major, version.Minor, version.Patch, version.Prerelease));
        Assert.Equal(text, version.Original);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2.3")]
    [InlineData("1.02.3")]
    [InlineData("v1.2.3")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.3 ")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-alpha..1")]
    [InlineData("1.2.3-al@pha")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.-3")]
    [InlineData("2147483648.0.0")]
    public void Invalid_versions_do_not_parse(string text)
    {
        Assert.False(SemanticVersion.TryParse(text, out _));
        Assert.Throws<FormatException>(() => SemanticVersion.Parse(text));
    }

    [Fact]
    public void Null_does_not_parse()
    {
        Assert.False(SemanticVersion.TryParse(null, out _));
    }

    [Fact]
    public void Versions_order_by_semver_precedence_including_prereleases()
    {
        // The sequence from semver.org section 11, plus the numeric parts.
        string[] ordered =
        [
            "0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0",
        ];

        for (var i = 0; i < ordered.Length - 1; i++)
        {
            var lower = SemanticVersion.Parse(ordered[i]);
            var higher = SemanticVersion.Parse(ordered[i + 1]);
            Assert.True(lower < higher, $"{lower} < {higher}");
            Assert.True(higher > lower, $"{higher} > {lower}");
            Assert.True(lower.CompareTo(higher) < 0);
        }

        var shuffled = ordered.Reverse().Select(SemanticVersion.Parse).Order().Select(v => v.Original);
        Assert.Equal(ordered, shuffled);
    }

    [Fact]
    public void Build_metadata_does_not_affect_equality_or_precedence()
    {
        var a = SemanticVersion.Parse("1.2.3+build.1");
        var b = SemanticVersion.Parse("1.2.3+build.2");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.True(a <= b && a >= b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal("1.2.3", a.ToString());
    }

    [Fact]
    public void Prerelease_is_kept_in_the_normalised_form()
    {
        Assert.Equal("1.2.3-rc.1", SemanticVersion.Parse("1.2.3-rc.1+sha.abc").ToString());
    }

    [Fact]
    public void Numeric_prerelease_identifiers_of_any_length_compare_numerically()
    {
        // Longer than decimal's 28-29 digits: comparison must not overflow.
        var smaller = SemanticVersion.Parse("1.0.0-rc.99999999999999999999999999999999");
        var larger = SemanticVersion.Parse("1.0.0-rc.100000000000000000000000000000000");

        Assert.True(smaller < larger);
        Assert.True(SemanticVersion.Parse("1.0.0-rc.9") < SemanticVersion.Parse("1.0.0-rc.10"));
    }

    [Fact]
    public void A_version_is_greater_than_null()
    {
        Assert.Equal(1, SemanticVersion.Parse("0.0.1").CompareTo(null));
        Assert.False(SemanticVersion.Parse("0.0.1") == null);
    }
}
