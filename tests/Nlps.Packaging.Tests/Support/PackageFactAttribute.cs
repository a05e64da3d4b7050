namespace Nlps.Packaging.Tests.Support;

/// <summary>
/// A test that needs the built .deb (a build of a few minutes on two cores, and root for dpkg). A developer may skip
/// these with NLPS_SKIP_PACKAGE_TESTS=1 for a quick run; CI (.ci/run) never sets it.
/// </summary>
public sealed class PackageFactAttribute : FactAttribute
{
    public PackageFactAttribute()
    {
        if (PackageTests.Skipped)
        {
            Skip = PackageTests.SkipReason;
        }
    }
}

/// <summary>The <see cref="TheoryAttribute"/> form of <see cref="PackageFactAttribute"/>.</summary>
public sealed class PackageTheoryAttribute : TheoryAttribute
{
    public PackageTheoryAttribute()
    {
        if (PackageTests.Skipped)
        {
            Skip = PackageTests.SkipReason;
        }
    }
}

/// <summary>Whether this run skips the tests that build the package.</summary>
public static class PackageTests
{
    public static bool Skipped { get; } = Environment.GetEnvironmentVariable("NLPS_SKIP_PACKAGE_TESTS") == "1";

    public const string SkipReason = "NLPS_SKIP_PACKAGE_TESTS=1: the .deb is not built in this run";
}
