using System.Text.Json;
using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Package;

[Collection(PackagingCollection.Name)]
public sealed class PackageContentsTests(PackagingFixture package)
{
    [PackageFact]
    public void Every_file_belongs_to_root_whoever_built_the_package()
    {
        Assert.All(package.Entries, e => Assert.Equal(("root", "root"), (e.Owner, e.Group)));
    }

    [PackageTheory]
    [InlineData("opt/nlps/nlpsd")]
    [InlineData("opt/nlps/nlpsctl")]
    [InlineData("opt/nlps/createdump")]
    public void Executables_are_0755(string path)
    {
        var entry = package.Entry(path);
        Assert.True(entry.IsFile);
        Assert.Equal("rwxr-xr-x", entry.Permissions);
    }

    [PackageFact]
    public void Everything_else_is_0644_files_and_0755_folders()
    {
        var executables = new[] { "opt/nlps/nlpsd", "opt/nlps/nlpsctl", "opt/nlps/createdump" };
        Assert.All(package.Entries.Where(e => e.IsFile && !executables.Contains(e.Path)), e => Assert.Equal("rw-r--r--", e.Permissions));
        Assert.All(package.Entries.Where(e => e.IsDirectory), e => Assert.Equal("rwxr-xr-x", e.Permissions));
    }

    [PackageFact]
    public void Nlps_runs_self_contained_from_opt_with_both_apps_in_one_runtime_folder()
    {
        foreach (var path in new[]
        {
            "opt/nlps/nlpsd.dll", "opt/nlps/nlpsd.runtimeconfig.json", "opt/nlps/nlpsd.deps.json",
            "opt/nlps/nlpsctl.dll", "opt/nlps/nlpsctl.runtimeconfig.json", "opt/nlps/nlpsctl.deps.json",
            "opt/nlps/libcoreclr.so", "opt/nlps/libhostfxr.so", "opt/nlps/System.Private.CoreLib.dll",
            "opt/nlps/Microsoft.AspNetCore.dll", "opt/nlps/libe_sqlite3.so",
        })
        {
            Assert.True(package.Entry(path).IsFile, path);
        }

        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Extracted, "opt/nlps/nlpsd.runtimeconfig.json")));
        Assert.True(runtimeConfig.RootElement.GetProperty("runtimeOptions").TryGetProperty("includedFrameworks", out _),
            "nlpsd.runtimeconfig.json names no included frameworks: the publish was framework-dependent");
    }

    [PackageFact]
    public void The_LTTng_trace_provider_is_left_out_so_the_package_needs_no_liblttng()
    {
        Assert.DoesNotContain(package.Entries, e => e.Path.EndsWith("libcoreclrtraceptprovider.so", StringComparison.Ordinal));
    }

    [PackageFact]
    public void Nlpsctl_on_the_path_is_a_link_to_the_self_contained_one()
    {
        var link = package.Entry("usr/bin/nlpsctl");
        Assert.True(link.IsSymlink);
        Assert.Equal("/opt/nlps/nlpsctl", link.LinkTarget);
    }

    [PackageTheory]
    [InlineData("lib/systemd/system/nlpsd.service")]
    [InlineData("etc/nlps/nlps.json")]
    [InlineData("etc/nlps/trusted-keys/vendor.pem")]
    [InlineData("usr/share/doc/nlps/copyright")]
    [InlineData("usr/share/doc/nlps/changelog.gz")]
    [InlineData("usr/share/doc/nlps/README.md")]
    [InlineData("usr/share/man/man1/nlpsctl.1.gz")]
    [InlineData("usr/share/lintian/overrides/nlps")]
    public void Ships(string path)
    {
        Assert.True(package.Entry(path).IsFile, path);
    }

    [PackageFact]
    public void The_packaged_unit_is_the_one_in_the_repository()
    {
        Assert.Equal(
            File.ReadAllText(Path.Combine(Repository.Packaging, "systemd", "nlpsd.service")),
            File.ReadAllText(Path.Combine(package.Extracted, "lib/systemd/system/nlpsd.service")));
    }

    [PackageFact]
    public void The_packaged_config_is_for_production_and_trusts_only_keys_the_package_ships()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Extracted, "etc/nlps/nlps.json")));
        var root = config.RootElement;
        Assert.Equal("/var/lib/nlps", root.GetProperty("State").GetProperty("Directory").GetString());
        Assert.StartsWith("http://127.0.0.1:", root.GetProperty("Http").GetProperty("Urls").GetString(), StringComparison.Ordinal);
        Assert.False(root.GetProperty("Plugins").GetProperty("AllowUnsigned").GetBoolean());

        var keys = root.GetProperty("Plugins").GetProperty("TrustedKeyFiles").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.StartsWith("/etc/nlps/trusted-keys/", key, StringComparison.Ordinal);
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(Path.Combine(package.Extracted, key.TrimStart('/'))), StringComparison.Ordinal);
        });
    }

    [PackageFact]
    public void Bundled_plugins_are_packages_only()
    {
        Assert.All(
            package.Entries.Where(e => e.IsFile && e.Path.StartsWith("opt/nlps/plugins-bundled/", StringComparison.Ordinal)),
            e => Assert.EndsWith(".nlpkg", e.Path, StringComparison.Ordinal));
    }

    [PackageFact]
    public void Every_first_party_plugin_project_is_bundled()
    {
        var plugins = Path.Combine(Repository.Root, "plugins");
        var projects = Directory.Exists(plugins) ? Directory.GetDirectories(plugins).Count(d => File.Exists(Path.Combine(d, "plugin.json"))) : 0;
        var bundled = package.Entries.Count(e => e.IsFile && e.Path.StartsWith("opt/nlps/plugins-bundled/", StringComparison.Ordinal));
        Assert.Equal(projects, bundled);
    }

    [PackageFact]
    public void The_packaged_config_installs_the_bundled_plugins_at_start()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Extracted, "etc/nlps/nlps.json")));
        Assert.Equal("/opt/nlps/plugins-bundled", config.RootElement.GetProperty("Plugins").GetProperty("BundledDirectory").GetString());
    }

    [PackageFact]
    public void The_build_says_what_it_bundled()
    {
        var bundled = package.Entries.Count(e => e.IsFile && e.Path.StartsWith("opt/nlps/plugins-bundled/", StringComparison.Ordinal));
        Assert.Contains(bundled == 0 ? "the package bundles none" : "packing plugin", package.BuildLog, StringComparison.Ordinal);
    }
}
