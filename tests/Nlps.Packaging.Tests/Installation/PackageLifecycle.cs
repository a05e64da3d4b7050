using Nlps.Packaging.Tests.Support;

namespace Nlps.Packaging.Tests.Installation;

/// <summary>
/// Installs the package on this machine with the real dpkg and takes it through its life: fresh install of a
/// "previous" build, the same again, upgrade to the build under test, a daemon run, remove, purge. The test machine
/// is a throwaway CI machine, and dpkg-in-a-chroot would need a whole Debian root for adduser and the maintainer
/// scripts; so the package goes onto the machine itself, and is purged again whatever happens.
/// </summary>
internal static class PackageLifecycle
{
    private const string PackageName = "nlps";
    private const string LockFile = "/tmp/nlps-packaging-tests.lock";
    // Present while this suite has the package installed: a later run may purge what a crashed run left.
    private const string Marker = "/tmp/nlps-packaging-tests.installed";
    private static readonly TimeSpan DpkgTimeout = TimeSpan.FromMinutes(5);

    public static async Task<LifecycleRecord> RunAsync(string debPath, string work)
    {
        if ((await Command.RunAsync("id", "-u")).StandardOutput.Trim() != "0")
        {
            throw new InvalidOperationException("the install tests run dpkg and need root (CI and the developer machines are root)");
        }

        Directory.CreateDirectory(work);
        using var exclusive = await AcquireLockAsync();
        await EnsureNotInstalledAsync();
        var previousDeb = await MakePreviousBuildAsync(debPath, work);
        var record = new LifecycleRecord
        {
            PreviousVersion = await FieldAsync(previousDeb, "Version"),
            CurrentVersion = await FieldAsync(debPath, "Version"),
        };

        var daemonFolder = Path.Combine(Path.GetTempPath(), $"nlps-daemon-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(Marker, debPath);
        try
        {
            record.FreshInstall = (await DpkgAsync("--install", previousDeb)).EnsureSuccess();
            record.AccountEntry = await PasswdEntryAsync();
            record.StateFolder = await StatAsync("/var/lib/nlps");
            record.ConfigFolder = await StatAsync("/etc/nlps");
            record.ConfigFile = await StatAsync("/etc/nlps/nlps.json");
            record.UnitEnabled = File.Exists("/etc/systemd/system/multi-user.target.wants/nlpsd.service");

            record.Reinstall = (await DpkgAsync("--install", previousDeb)).EnsureSuccess();
            record.AccountEntryAfterReinstall = await PasswdEntryAsync();

            // An operator's edit of the conffile, and state the service wrote.
            var edited = (await File.ReadAllTextAsync("/etc/nlps/nlps.json")).Replace("127.0.0.1:5080", "127.0.0.1:5181", StringComparison.Ordinal);
            await File.WriteAllTextAsync("/etc/nlps/nlps.json", edited);
            record.EditedConfig = edited;
            await File.WriteAllTextAsync("/var/lib/nlps/marker.txt", "state written before the upgrade");

            record.Upgrade = (await DpkgAsync("--install", debPath)).EnsureSuccess();
            record.InstalledVersionAfterUpgrade = (await Command.RunAsync("dpkg-query", "-W", "-f=${Version}", PackageName)).StandardOutput;
            record.ConfigAfterUpgrade = ReadIfExists("/etc/nlps/nlps.json");
            record.StateMarkerAfterUpgrade = ReadIfExists("/var/lib/nlps/marker.txt");
            record.StateFolderAfterUpgrade = await StatAsync("/var/lib/nlps");

            record.InstalledUnitVerify = await Command.RunAsync("systemd-analyze", "verify", "/lib/systemd/system/nlpsd.service");
            record.NlpsctlOnPath = await Command.RunAsync("nlpsctl", "--version");
            record.Daemon = await InstalledDaemon.RunAsync(daemonFolder);

            record.Remove = (await DpkgAsync("--remove", PackageName)).EnsureSuccess();
            record.StatusAfterRemove = await StatusAsync();
            record.ProgramFolderAfterRemove = Directory.Exists("/opt/nlps");
            record.NlpsctlAfterRemove = File.Exists("/usr/bin/nlpsctl");
            record.StateMarkerAfterRemove = ReadIfExists("/var/lib/nlps/marker.txt");
            record.ConfigAfterRemove = File.Exists("/etc/nlps/nlps.json");

            record.Purge = (await DpkgAsync("--purge", PackageName)).EnsureSuccess();
            record.StatusAfterPurge = await StatusAsync();
            record.StateFolderAfterPurge = Directory.Exists("/var/lib/nlps");
            record.ConfigFolderAfterPurge = Directory.Exists("/etc/nlps");
            record.UnitLinkAfterPurge = File.Exists("/etc/systemd/system/multi-user.target.wants/nlpsd.service");
        }
        finally
        {
            await DpkgAsync("--purge", PackageName);
            File.Delete(Marker);
            if (Directory.Exists(daemonFolder))
            {
                Directory.Delete(daemonFolder, recursive: true);
            }
        }

        return record;
    }

    /// <summary>The build under test with a lower version: dpkg then runs the real upgrade path (prerm upgrade,
    /// postinst configure with the old version) between two builds of the same payload.</summary>
    private static async Task<string> MakePreviousBuildAsync(string debPath, string work)
    {
        var tree = Path.Combine(work, "previous");
        (await Command.RunAsync("dpkg-deb", "--raw-extract", debPath, tree)).EnsureSuccess();
        var control = Path.Combine(tree, "DEBIAN", "control");
        var version = await FieldAsync(debPath, "Version");
        var lines = (await File.ReadAllLinesAsync(control))
            .Select(l => l.StartsWith("Version:", StringComparison.Ordinal) ? $"Version: {version}~prev1" : l);
        await File.WriteAllLinesAsync(control, lines);
        var previous = Path.Combine(work, "nlps_previous_amd64.deb");
        (await Command.RunAsync("dpkg-deb", ["--root-owner-group", "-Zgzip", "--build", tree, previous], DpkgTimeout)).EnsureSuccess();
        Directory.Delete(tree, recursive: true);
        return previous;
    }

    private static async Task EnsureNotInstalledAsync()
    {
        var status = await StatusAsync();
        if (status.Length == 0 || status.StartsWith("unknown ok not-installed", StringComparison.Ordinal))
        {
            return;
        }

        if (!File.Exists(Marker))
        {
            throw new InvalidOperationException(
                $"the package '{PackageName}' is on this machine ({status}) and these tests did not put it there; " +
                "they install and purge it, so remove it first: dpkg --purge nlps");
        }

        (await DpkgAsync("--purge", PackageName)).EnsureSuccess();
    }

    private static async Task<FileStream> AcquireLockAsync()
    {
        // One lifecycle per machine at a time: dpkg and /var/lib/nlps are shared by every checkout on it.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>Runs dpkg, waiting while another package operation on the machine (apt, another checkout) holds
    /// dpkg's lock: dpkg itself fails at once when it is taken.</summary>
    private static async Task<CommandResult> DpkgAsync(string action, string target)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await Command.RunAsync("dpkg", [action, target], DpkgTimeout);
            if (result.ExitCode == 0 || attempt >= 300 || !result.StandardError.Contains("lock", StringComparison.Ordinal))
            {
                return result;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private static async Task<string> FieldAsync(string deb, string field) =>
        (await Command.RunAsync("dpkg-deb", "--field", deb, field)).EnsureSuccess().StandardOutput.Trim();

    private static async Task<string> StatusAsync() =>
        (await Command.RunAsync("dpkg-query", "-W", "-f=${Status}", PackageName)).StandardOutput.Trim();

    private static async Task<string?> PasswdEntryAsync()
    {
        var entry = await Command.RunAsync("getent", "passwd", "nlps");
        return entry.ExitCode == 0 ? entry.StandardOutput.Trim() : null;
    }

    /// <summary>"owner:group mode", e.g. <c>nlps:nlps 750</c>.</summary>
    private static async Task<string> StatAsync(string path)
    {
        var stat = await Command.RunAsync("stat", "-c", "%U:%G %a", path);
        return stat.ExitCode == 0 ? stat.StandardOutput.Trim() : "missing";
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
