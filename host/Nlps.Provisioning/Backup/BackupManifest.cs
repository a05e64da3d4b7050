namespace Nlps.Provisioning.Backup;

/// <summary>The last entry of a backup archive: what it holds, each file with its SHA-256.</summary>
/// <param name="Format">Always <see cref="FormatName"/>; anything else is a foreign archive.</param>
public sealed record BackupManifest(string Format, int Version, DateTimeOffset CreatedAt, string SourceState, bool IncludesModels, bool IncludesConfig, IReadOnlyList<BackupEntry> Files)
{
    public const string FormatName = "nlps-backup";
    public const int CurrentVersion = 1;
    public const string EntryName = "manifest.json";
    public const string StatePrefix = "state/";
    public const string ConfigEntry = "config/nlps.json";
}

/// <param name="Path">The archive entry name.</param>
public sealed record BackupEntry(string Path, long Bytes, string Sha256);
