namespace Nlps.Provisioning.Backup;

/// <summary>A backup could not be made, or an archive is refused for restore (nothing was changed).</summary>
public sealed class BackupException(string message) : Exception(message);
