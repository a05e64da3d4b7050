using System.CommandLine;
using System.Globalization;
using Nlps.Provisioning.Backup;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl backup FILE</c> (while nlpsd runs: SQLite online backup) and <c>nlpsctl restore FILE</c> (nlpsd stopped):
/// the state folder (database, plugins, agent data, admin token; models with <c>--include-models</c>) and nlpsd's
/// configuration file, as one tar archive with a manifest of SHA-256 hashes.
/// </summary>
internal static class BackupCommands
{
    public static IEnumerable<Command> Create()
    {
        var stateOption = new Option<DirectoryInfo>("--state") { Description = "The state folder (default ./.nlps when it exists, else /var/lib/nlps)", DefaultValueFactory = _ => new DirectoryInfo(Directory.Exists(".nlps") ? ".nlps" : "/var/lib/nlps") };
        var configOption = new Option<FileInfo?>("--nlpsd-config") { Description = "nlpsd's configuration file (default $NLPS_CONFIG or /etc/nlps/nlps.json)" };

        var backupFile = new Argument<FileInfo>("file") { Description = "The archive to write (mode 0600: it holds the admin token)" };
        var models = new Option<bool>("--include-models") { Description = "Also archive the model store (large)" };
        var backup = new Command("backup", "Archive the appliance's state and configuration (safe while nlpsd runs)") { backupFile, stateOption, configOption, models };
        backup.SetAction(async (result, ct) => await Guarded(async () =>
        {
            BackupManifest manifest = await new BackupWriter(TimeProvider.System).WriteAsync(
                result.GetValue(stateOption)!.FullName, ConfigFile(result.GetValue(configOption)), result.GetValue(models), result.GetValue(backupFile)!.FullName, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backed up {manifest.Files.Count} file(s), {manifest.Files.Sum(f => f.Bytes)} bytes, to {result.GetValue(backupFile)!.FullName}"));
            return 0;
        }));

        var restoreFile = new Argument<FileInfo>("file") { Description = "An archive made by nlpsctl backup" };
        var restore = new Command("restore", "Verify an archive completely, then replace the state folder and configuration with it (stop nlpsd first; the old ones are kept as *.before-restore-*)") { restoreFile, stateOption, configOption };
        restore.SetAction(async (result, ct) => await Guarded(async () =>
        {
            string suffix = TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            BackupManifest manifest = await new BackupRestorer().RestoreAsync(
                result.GetValue(restoreFile)!.FullName, result.GetValue(stateOption)!.FullName, ConfigFile(result.GetValue(configOption)), suffix, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"restored {manifest.Files.Count} file(s) from the backup of {manifest.CreatedAt:u}"));
            return 0;
        }));
        return [backup, restore];
    }

    private static string ConfigFile(FileInfo? option) =>
        option?.FullName ?? Environment.GetEnvironmentVariable("NLPS_CONFIG") ?? "/etc/nlps/nlps.json";

    private static async Task<int> Guarded(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (BackupException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }
}
