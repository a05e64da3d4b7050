using System.Text.Json;
using Nlps.Plugins.Management;
using Nlps.Plugins.Packaging;
using Nlps.Plugins.Runtime;
using Nlps.Testing;

namespace Nlps.Plugins.Tests.Management;

public sealed class PluginManagerTests
{
    [Fact]
    public async Task Installed_package_runs_and_serves_its_operations_with_korean_text()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();

        var status = await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()), CancellationToken.None);

        Assert.Equal(PluginState.Running, status.State);
        Assert.Equal("에코 (echo)", status.Name);
        var response = await PluginHostTestBed.InvokeAsync(manager, "test.echo", "echo", """{"text":"금융실명제는"}""");
        using var json = JsonDocument.Parse(response);
        Assert.Equal("금융실명제는", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("length").GetInt32());
        Assert.True(Directory.Exists(Path.Combine(bed.Options.PluginsDirectory, "test.echo", "1.0.0", "lib")));
        Assert.Empty(bed.StagingLeftovers());
    }

    [Fact]
    public async Task Installing_the_same_version_twice_is_refused_and_the_running_version_keeps_serving()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PluginOperationException>(async () =>
            await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()), CancellationToken.None));

        Assert.Equal("version_exists", error.Code);
        Assert.Equal(409, error.StatusCode);
        Assert.Contains("1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("echo", await PluginHostTestBed.InvokeAsync(manager, "test.echo", "echo", """{"text":"echo"}"""), StringComparison.Ordinal);
        Assert.Empty(bed.StagingLeftovers());
    }

    [Fact]
    public async Task Upgrade_then_rollback_switches_the_running_version_and_keeps_both_installed()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: "1.0.0")), CancellationToken.None);
        await PluginHostTestBed.InvokeAsync(manager, "test.echo", "remember", """{"key":"고객","value":"은행"}""");

        var upgraded = await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: "1.1.0")), CancellationToken.None);

        Assert.Equal("1.1.0", upgraded.Version);
        Assert.Contains("\"version\":\"1.1.0\"", await PluginHostTestBed.InvokeAsync(manager, "test.echo", "echo", """{"text":"x"}"""), StringComparison.Ordinal);
        Assert.Contains("은행", await PluginHostTestBed.InvokeAsync(manager, "test.echo", "recall", """{"key":"고객"}"""), StringComparison.Ordinal);
        Assert.Equal(["1.0.0", "1.1.0"], upgraded.Versions.Select(v => v.Version));

        var rolledBack = await manager.RollbackAsync("test.echo", CancellationToken.None);

        Assert.Equal("1.0.0", rolledBack.Version);
        Assert.Equal(PluginState.Running, rolledBack.State);
        Assert.Contains("\"version\":\"1.0.0\"", await PluginHostTestBed.InvokeAsync(manager, "test.echo", "echo", """{"text":"x"}"""), StringComparison.Ordinal);
        var noEarlier = await Assert.ThrowsAsync<PluginOperationException>(() => manager.RollbackAsync("test.echo", CancellationToken.None));
        Assert.Equal("no_previous_version", noEarlier.Code);
    }

    [Fact]
    public async Task Upgrade_to_a_version_that_fails_to_start_keeps_the_previous_version_running()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: "1.0.0")), CancellationToken.None);
        var broken = TestPlugins.Faulty("ThrowingInitializeAgent", id: "test.echo", version: "2.0.0");

        var error = await Assert.ThrowsAsync<PluginOperationException>(async () =>
            await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.FaultyProject, broken), CancellationToken.None));

        Assert.Equal("plugin_start_failed", error.Code);
        Assert.Contains("initialize failure on purpose", error.Message, StringComparison.Ordinal);
        var status = manager.Get("test.echo");
        Assert.Equal(("1.0.0", PluginState.Running), (status.Version, status.State));
        Assert.Contains("\"version\":\"1.0.0\"", await PluginHostTestBed.InvokeAsync(manager, "test.echo", "echo", """{"text":"x"}"""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ThrowingConstructorAgent", "constructor failure on purpose")]
    [InlineData("ThrowingInitializeAgent", "initialize failure on purpose")]
    [InlineData("UndeclaredOperationAgent", "does not declare")]
    [InlineData("NoSuchAgent", "is not in Nlps.TestPlugins.Faulty.dll")]
    public async Task A_plugin_that_fails_to_start_is_faulted_with_the_reason_and_others_keep_running(string entryType, string reason)
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()), CancellationToken.None);

        var status = await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.FaultyProject, TestPlugins.Faulty(entryType)), CancellationToken.None);

        Assert.Equal(PluginState.Faulted, status.State);
        Assert.Contains(reason, status.Reason, StringComparison.Ordinal);
        Assert.False(manager.TryGetRunning("test.faulty", out _, out var faulted));
        Assert.Equal(PluginState.Faulted, faulted!.State);
        Assert.Contains("ok", await PluginHostTestBed.InvokeAsync(manager, "test.echo", "echo", """{"text":"ok"}"""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_missing_a_private_dependency_is_faulted_naming_the_assembly()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        var package = await bed.Packages.BuildAsync(
            TestPlugins.FaultyProject,
            TestPlugins.Faulty("MissingDependencyAgent"),
            alter: folder => File.Delete(Path.Combine(folder, "Nlps.TestPlugins.PrivateDep.dll")));

        var status = await manager.InstallAsync(package, CancellationToken.None);

        Assert.Equal(PluginState.Faulted, status.State);
        Assert.Contains("Nlps.TestPlugins.PrivateDep", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_plugins_with_different_versions_of_one_private_dependency_each_use_their_own()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.DepUserAProject, TestPlugins.DepUser(TestPlugins.DepUserAProject, "test.dep-a")), CancellationToken.None);
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.DepUserBProject, TestPlugins.DepUser(TestPlugins.DepUserBProject, "test.dep-b")), CancellationToken.None);

        var a = await PluginHostTestBed.InvokeAsync(manager, "test.dep-a", "describe");
        var b = await PluginHostTestBed.InvokeAsync(manager, "test.dep-b", "describe");

        Assert.Contains("\"dependencyVersion\":\"1.0.0.0\"", a, StringComparison.Ordinal);
        Assert.Contains("private-dep v1", a, StringComparison.Ordinal);
        Assert.Contains("\"dependencyVersion\":\"2.0.0.0\"", b, StringComparison.Ordinal);
        Assert.Contains("private-dep v2", b, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_native_library_is_loaded_from_the_plugins_own_folder()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.NativeSqliteProject, TestPlugins.NativeSqlite()), CancellationToken.None);
        var lib = Path.Combine(bed.Options.PluginsDirectory, "test.native-sqlite", "1.0.0", "lib");

        var response = await PluginHostTestBed.InvokeAsync(manager, "test.native-sqlite", "version");

        using var json = JsonDocument.Parse(response);
        Assert.Matches(@"^3\.\d+\.\d+$", json.RootElement.GetProperty("sqliteVersion").GetString());
        Assert.StartsWith(lib, json.RootElement.GetProperty("managedLocation").GetString(), StringComparison.Ordinal);

        // The process's own memory map shows which file the dynamic loader mapped for the plugin.
        var maps = await File.ReadAllTextAsync("/proc/self/maps");
        Assert.Contains(Path.Combine(lib, "runtimes", "linux-x64", "native", "libe_sqlite3.so"), maps, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_stops_the_agent_and_enable_starts_it_again_and_both_survive_a_restart()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()), CancellationToken.None);

        var disabled = await manager.DisableAsync("test.echo", CancellationToken.None);
        Assert.Equal(PluginState.Disabled, disabled.State);
        Assert.False(manager.TryGetRunning("test.echo", out _, out _));
        await manager.StopAsync(CancellationToken.None);

        var restarted = await bed.StartManagerAsync();
        Assert.Equal(PluginState.Disabled, restarted.Get("test.echo").State);
        var enabled = await restarted.EnableAsync("test.echo", CancellationToken.None);
        Assert.Equal(PluginState.Running, enabled.State);
        await restarted.StopAsync(CancellationToken.None);

        var again = await bed.StartManagerAsync();
        Assert.Equal(PluginState.Running, again.Get("test.echo").State);
    }

    [Fact]
    public async Task Uninstall_removes_code_keeps_data_unless_purged()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()), CancellationToken.None);
        await PluginHostTestBed.InvokeAsync(manager, "test.echo", "remember", """{"key":"k","value":"v"}""");

        var result = await manager.UninstallAsync("test.echo", purge: false, CancellationToken.None);

        Assert.True(result.ContextCollected);
        Assert.Empty(manager.List());
        Assert.False(Directory.Exists(Path.Combine(bed.Options.PluginsDirectory, "test.echo")));
        Assert.Null(await bed.Catalog.GetAsync("test.echo"));
        Assert.Equal("v"u8.ToArray(), await bed.Stores.For("test.echo").GetAsync("k"));

        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()), CancellationToken.None);
        await manager.UninstallAsync("test.echo", purge: true, CancellationToken.None);
        Assert.Null(await bed.Stores.For("test.echo").GetAsync("k"));
        var missing = await Assert.ThrowsAsync<PluginOperationException>(() => manager.UninstallAsync("test.echo", false, CancellationToken.None));
        Assert.Equal("plugin_not_found", missing.Code);
    }

    [Fact]
    public async Task Twenty_install_uninstall_cycles_leave_no_plugin_assemblies_loaded()
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        var package = await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo());
        var before = CountLoadedAfterCollection();

        for (var cycle = 0; cycle < 20; cycle++)
        {
            await manager.InstallAsync(package, CancellationToken.None);
            await PluginHostTestBed.InvokeAsync(manager, "test.echo", "echo", """{"text":"cycle"}""");
            var result = await manager.UninstallAsync("test.echo", purge: true, CancellationToken.None);
            Assert.True(result.ContextCollected, $"cycle {cycle}: the plugin's load context was not collected");
        }

        Assert.Equal(before, CountLoadedAfterCollection());
    }

    [Theory]
    [InlineData("not_a_zip")]
    [InlineData("signature_missing")]
    [InlineData("sdk_incompatible")]
    [InlineData("hash_mismatch")]
    public async Task A_refused_package_changes_nothing_and_leaves_no_temporary_files(string code)
    {
        await using var bed = new PluginHostTestBed();
        var manager = await bed.StartManagerAsync();
        await manager.InstallAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo()), CancellationToken.None);
        var bad = code switch
        {
            "not_a_zip" => WriteGarbage(bed.Root),
            "signature_missing" => await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: "1.1.0"), signed: false),
            "sdk_incompatible" => await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: "1.1.0") with { SdkVersion = "2.0.0" }),
            _ => await TamperAsync(await bed.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(version: "1.1.0"))),
        };

        var error = await Assert.ThrowsAsync<PackageRejectedException>(() => manager.InstallAsync(bad, CancellationToken.None));

        Assert.Equal(code, error.Code);
        var status = manager.Get("test.echo");
        Assert.Equal(("1.0.0", PluginState.Running), (status.Version, status.State));
        Assert.Single(status.Versions);
        Assert.Empty(bed.StagingLeftovers());
        Assert.Equal(["1.0.0"], Directory.GetDirectories(Path.Combine(bed.Options.PluginsDirectory, "test.echo")).Select(Path.GetFileName));
    }

    private static int CountLoadedAfterCollection()
    {
        for (var round = 0; round < 10; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == TestPlugins.EchoProject);
    }

    private static string WriteGarbage(string folder)
    {
        var path = Path.Combine(folder, "garbage.nlpkg");
        File.WriteAllText(path, "이것은 zip이 아닙니다");
        return path;
    }

    // Replaces the entry assembly inside the signed package with other bytes, keeping files.json as signed.
    private static async Task<string> TamperAsync(string package)
    {
        await using (var stream = File.Open(package, FileMode.Open, FileAccess.ReadWrite))
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry($"lib/{TestPlugins.EchoProject}.dll")!;
            entry.Delete();
            var replaced = zip.CreateEntry($"lib/{TestPlugins.EchoProject}.dll");
            await using var writer = await replaced.OpenAsync();
            await writer.WriteAsync("tampered"u8.ToArray());
        }

        return package;
    }
}
