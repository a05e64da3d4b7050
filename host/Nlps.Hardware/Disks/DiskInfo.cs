namespace Nlps.Hardware.Disks;

/// <summary>Space on the file system that holds a folder.</summary>
/// <param name="Path">The folder asked about.</param>
/// <param name="TotalBytes">Size of its file system.</param>
/// <param name="FreeBytes">Bytes available to this process.</param>
public sealed record DiskInfo(string Path, long TotalBytes, long FreeBytes);
