namespace Nlps.Hardware.Disks;

/// <summary>Reports free space for a folder; a folder that does not exist yet is measured at its nearest existing parent.</summary>
public static class DiskSpaceReader
{
    public static DiskInfo Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        string probe = full;
        while (!Directory.Exists(probe))
        {
            probe = Path.GetDirectoryName(probe) ?? Path.GetPathRoot(full) ?? "/";
        }

        // On Unix DriveInfo calls statvfs on the path given, which answers for the file system containing it.
        var drive = new DriveInfo(probe);
        return new DiskInfo(full, drive.TotalSize, drive.AvailableFreeSpace);
    }
}
