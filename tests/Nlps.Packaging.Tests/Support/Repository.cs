using System.Text.RegularExpressions;

namespace Nlps.Packaging.Tests.Support;

/// <summary>The repository the tests run in, and the facts the package must agree with.</summary>
public static partial class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Packaging => Path.Combine(Root, "packaging");

    /// <summary>The product version: the one <c>&lt;Version&gt;</c> in Directory.Build.props.</summary>
    public static string ProductVersion { get; } =
        VersionElement().Match(File.ReadAllText(Path.Combine(Root, "Directory.Build.props"))).Groups[1].Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NlpsAppliance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("NlpsAppliance.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();
}
