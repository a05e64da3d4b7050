using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Package;

[Collection(PackagingCollection.Name)]
public sealed class PackageControlTests(PackagingFixture package)
{
    [PackageFact]
    public void Names_the_package_and_its_architecture()
    {
        Assert.Equal("nlps", package.Control["Package"]);
        Assert.Equal("amd64", package.Control["Architecture"]);
        Assert.False(string.IsNullOrWhiteSpace(package.Control["Maintainer"]));
        Assert.False(string.IsNullOrWhiteSpace(package.Control["Description"]));
    }

    [PackageFact]
    public void The_version_is_the_products_from_Directory_Build_props()
    {
        Assert.Equal(Repository.ProductVersion.Replace('-', '~'), package.Control["Version"]);
        Assert.EndsWith($"nlps_{package.Control["Version"]}_amd64.deb", package.DebPath, StringComparison.Ordinal);
    }

    [PackageFact]
    public void Installed_size_is_the_payload_in_KiB()
    {
        var bytes = package.Entries.Where(e => e.IsFile).Sum(e => e.Size);
        var declared = long.Parse(package.Control["Installed-Size"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(declared, bytes / 1024, (bytes / 1024) + (bytes / 1024 / 20) + 1024);
    }

    [PackageTheory]
    [InlineData("libc6")]
    [InlineData("libgcc-s1")]
    [InlineData("libstdc++6")]
    [InlineData("libicu72")] // loaded with dlopen by System.Globalization.Native: not in any NEEDED entry
    [InlineData("libssl3")] // loaded with dlopen by System.Security.Cryptography.Native.OpenSsl
    [InlineData("ca-certificates")] // TLS to remote engines
    [InlineData("tzdata")] // TimeZoneInfo reads /usr/share/zoneinfo
    [InlineData("adduser")] // postinst creates the nlps account
    public void Depends_on(string dependency)
    {
        Assert.Contains(dependency, Dependencies());
    }

    [PackageFact]
    public void Does_not_depend_on_a_dotnet_runtime_package()
    {
        Assert.DoesNotContain(Dependencies(), d => d.StartsWith("dotnet", StringComparison.Ordinal) || d.StartsWith("aspnetcore", StringComparison.Ordinal));
    }

    [PackageFact]
    public async Task Every_library_a_shipped_binary_links_against_comes_from_a_package_it_depends_on()
    {
        // NEEDED entries of every ELF file in the package, resolved on this (Debian) machine to the package that
        // owns them. Libraries the package ships itself are satisfied by the package.
        var shipped = package.Entries.Where(e => e.IsFile).Select(e => Path.GetFileName(e.Path)).ToHashSet();
        var needed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in package.Entries.Where(e => e.IsFile && (e.Path.EndsWith(".so", StringComparison.Ordinal) || e.Permissions[2] == 'x')))
        {
            var dynamic = await Command.RunAsync("readelf", "--dynamic", Path.Combine(package.Extracted, entry.Path));
            foreach (var line in dynamic.StandardOutput.Split('\n').Where(l => l.Contains("(NEEDED)", StringComparison.Ordinal)))
            {
                var library = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)];
                if (!shipped.Contains(library))
                {
                    needed.Add(library);
                }
            }
        }

        Assert.NotEmpty(needed);
        var owners = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var library in needed)
        {
            var owner = await Command.RunAsync("dpkg", "--search", $"*/{library}");
            Assert.True(owner.ExitCode == 0, $"no Debian package on this machine provides {library}:\n{owner.Output}");
            owners.UnionWith(owner.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
        }

        var dependencies = Dependencies();
        Assert.All(owners, owner => Assert.Contains(owner, dependencies));
    }

    [PackageFact]
    public void Conffiles_are_exactly_the_files_under_etc()
    {
        var conffiles = File.ReadAllLines(Path.Combine(package.Extracted, "DEBIAN", "conffiles")).Where(l => l.Length > 0).ToList();
        var underEtc = package.Entries.Where(e => e.IsFile && e.Path.StartsWith("etc/", StringComparison.Ordinal)).Select(e => "/" + e.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(underEtc, conffiles);
        Assert.Contains("/etc/nlps/nlps.json", conffiles);
    }

    [PackageTheory]
    [InlineData("postinst")]
    [InlineData("prerm")]
    [InlineData("postrm")]
    public async Task Maintainer_scripts_are_executable_posix_shell(string script)
    {
        var path = Path.Combine(package.Extracted, "DEBIAN", script);
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        Assert.StartsWith("#!/bin/sh\n", File.ReadAllText(path), StringComparison.Ordinal);
        var syntax = await Command.RunAsync("sh", "-n", path);
        Assert.True(syntax.ExitCode == 0, syntax.Output);
    }

    [PackageFact]
    public void Md5sums_cover_every_file()
    {
        var listed = File.ReadAllLines(Path.Combine(package.Extracted, "DEBIAN", "md5sums"))
            .Where(l => l.Length > 0).Select(l => l[34..]).Order(StringComparer.Ordinal).ToList();
        var files = package.Entries.Where(e => e.IsFile).Select(e => e.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, listed);
    }

    /// <summary>The package names in Depends, alternatives included, without version constraints.</summary>
    private HashSet<string> Dependencies() =>
        package.Control["Depends"]
            .Split([',', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2)[0].Split(':')[0])
            .ToHashSet(StringComparer.Ordinal);
}
