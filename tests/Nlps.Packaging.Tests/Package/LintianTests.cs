using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Package;

[Collection(PackagingCollection.Name)]
public sealed class LintianTests(PackagingFixture package)
{
    [PackageFact]
    public async Task Lintian_finds_no_error_and_no_warning()
    {
        // --fail-on none: with --show-overrides, overridden tags would count towards the exit code; the tag lines decide.
        var lintian = await Command.RunAsync("lintian", ["--fail-on", "none", "--show-overrides", package.DebPath], TimeSpan.FromMinutes(5));
        var tags = lintian.StandardOutput.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("W:", StringComparison.Ordinal)).ToList();
        Assert.True(lintian.ExitCode == 0 && tags.Count == 0, lintian.Output);

        // The overrides in packaging/debian/lintian-overrides, each with its reason there, and nothing else.
        var overridden = lintian.StandardOutput.Split('\n')
            .Where(l => l.StartsWith("O:", StringComparison.Ordinal))
            .Select(l => l.Split(' ', 4)[2])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Subset(new HashSet<string>(StringComparer.Ordinal) { "dir-or-file-in-opt", "embedded-library" }, overridden);
    }
}
