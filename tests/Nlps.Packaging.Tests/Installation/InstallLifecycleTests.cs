using System.Text.Json;
using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Installation;

/// <summary>The package installed for real with dpkg (see <see cref="PackageLifecycle"/>): each test reads one step
/// of the one lifecycle run.</summary>
[Collection(PackagingCollection.Name)]
public sealed class InstallLifecycleTests(PackagingFixture package)
{
    [PackageFact]
    public async Task A_fresh_install_creates_the_nlps_system_account_without_a_login()
    {
        var record = await package.Lifecycle;
        Assert.True(record.FreshInstall.ExitCode == 0, record.FreshInstall.Output);
        Assert.NotNull(record.AccountEntry);
        var fields = record.AccountEntry.Split(':');
        Assert.True(int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture) < 1000, $"not a system account: {record.AccountEntry}");
        Assert.Equal("/var/lib/nlps", fields[5]);
        Assert.Equal("/usr/sbin/nologin", fields[6]);
    }

    [PackageFact]
    public async Task A_fresh_install_gives_the_state_folder_to_nlps_and_closes_the_config_to_others()
    {
        var record = await package.Lifecycle;
        Assert.Equal("nlps:nlps 750", record.StateFolder);
        Assert.Equal("root:nlps 750", record.ConfigFolder);
        Assert.Equal("root:root 644", record.ConfigFile);
    }

    [PackageFact]
    public async Task A_fresh_install_enables_the_unit()
    {
        Assert.True((await package.Lifecycle).UnitEnabled);
    }

    [PackageFact]
    public async Task Installing_the_same_version_again_runs_every_script_again_without_harm()
    {
        var record = await package.Lifecycle;
        Assert.True(record.Reinstall.ExitCode == 0, record.Reinstall.Output);
        Assert.Equal(record.AccountEntry, record.AccountEntryAfterReinstall);
    }

    [PackageFact]
    public async Task An_upgrade_keeps_the_operators_config_edits_and_the_state()
    {
        var record = await package.Lifecycle;
        Assert.True(record.Upgrade.ExitCode == 0, record.Upgrade.Output);
        Assert.Equal(record.CurrentVersion, record.InstalledVersionAfterUpgrade);
        Assert.NotEqual(record.PreviousVersion, record.CurrentVersion);
        Assert.Equal(record.EditedConfig, record.ConfigAfterUpgrade);
        Assert.Equal("state written before the upgrade", record.StateMarkerAfterUpgrade);
        Assert.Equal("nlps:nlps 750", record.StateFolderAfterUpgrade);
    }

    [PackageFact]
    public async Task The_installed_unit_passes_systemd_analyze_verify()
    {
        var verify = (await package.Lifecycle).InstalledUnitVerify;
        Assert.True(verify.ExitCode == 0 && verify.StandardError.Length == 0, verify.Output);
    }

    [PackageFact]
    public async Task Nlpsctl_runs_from_the_path()
    {
        var nlpsctl = (await package.Lifecycle).NlpsctlOnPath;
        Assert.True(nlpsctl.ExitCode == 0, nlpsctl.Output);
        Assert.StartsWith(Repository.ProductVersion, nlpsctl.StandardOutput.Trim(), StringComparison.Ordinal);
    }

    [PackageFact]
    public async Task The_installed_daemon_tells_systemd_it_is_ready_only_once_it_serves()
    {
        var daemon = (await package.Lifecycle).Daemon;
        var ready = daemon.Notifications.ToList().FindIndex(n => n.Split('\n').Contains("READY=1"));
        Assert.True(ready >= 0, string.Join(" | ", daemon.Notifications));
        Assert.Contains(daemon.Notifications.Take(ready), n => n.StartsWith("STATUS=", StringComparison.Ordinal));
        Assert.Equal(200, daemon.ReadyStatus);
        using var body = JsonDocument.Parse(daemon.ReadyBody);
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
    }

    [PackageFact]
    public async Task The_installed_daemon_installs_and_runs_every_bundled_plugin_checking_the_packaged_vendor_key()
    {
        // Signed by build.sh with the build's key, verified by nlpsd against /etc/nlps/trusted-keys/vendor.pem.
        var bundled = package.Entries.Count(e => e.IsFile && e.Path.StartsWith("opt/nlps/plugins-bundled/", StringComparison.Ordinal));
        var daemon = (await package.Lifecycle).Daemon;
        using var body = JsonDocument.Parse(daemon.ReadyBody);
        var plugins = body.RootElement.GetProperty("plugins");
        Assert.True(bundled == plugins.GetProperty("running").GetInt32(), $"{bundled} bundled, readyz: {daemon.ReadyBody}\n{daemon.Log}");
        Assert.Equal(0, plugins.GetProperty("faulted").GetInt32());
    }

    [PackageFact]
    public async Task The_installed_daemon_feeds_the_watchdog()
    {
        Assert.NotNull((await package.Lifecycle).Daemon.WatchdogPing);
    }

    [PackageFact]
    public async Task The_installed_daemon_writes_the_admin_token_for_nlps_only_and_nlpsctl_uses_it()
    {
        var daemon = (await package.Lifecycle).Daemon;
        Assert.Equal("nlps 600", daemon.AdminToken);
        Assert.True(daemon.Status.ExitCode == 0, daemon.Status.Output + daemon.Log);
    }

    [PackageFact]
    public async Task The_installed_daemon_says_stopping_on_SIGTERM_and_exits_0()
    {
        var daemon = (await package.Lifecycle).Daemon;
        Assert.NotNull(daemon.Stopping);
        Assert.True(daemon.ExitCode == 0, $"exit {daemon.ExitCode}\n{daemon.Log}");
    }

    [PackageFact]
    public async Task The_installed_daemon_logs_no_errors()
    {
        var daemon = (await package.Lifecycle).Daemon;
        Assert.DoesNotContain(" fail: ", daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(" crit: ", daemon.Log, StringComparison.Ordinal);
    }

    [PackageFact]
    public async Task Remove_takes_the_program_and_keeps_config_and_state()
    {
        var record = await package.Lifecycle;
        Assert.True(record.Remove.ExitCode == 0, record.Remove.Output);
        Assert.Equal("deinstall ok config-files", record.StatusAfterRemove);
        Assert.False(record.ProgramFolderAfterRemove);
        Assert.False(record.NlpsctlAfterRemove);
        Assert.True(record.ConfigAfterRemove);
        Assert.Equal("state written before the upgrade", record.StateMarkerAfterRemove);
    }

    [PackageFact]
    public async Task Purge_deletes_config_state_and_the_unit_link()
    {
        var record = await package.Lifecycle;
        Assert.True(record.Purge.ExitCode == 0, record.Purge.Output);
        Assert.DoesNotContain("ok installed", record.StatusAfterPurge, StringComparison.Ordinal);
        Assert.DoesNotContain("config-files", record.StatusAfterPurge, StringComparison.Ordinal);
        Assert.False(record.StateFolderAfterPurge);
        Assert.False(record.ConfigFolderAfterPurge);
        Assert.False(record.UnitLinkAfterPurge);
    }
}
