namespace Nlps.Hardware.Memory;

/// <summary>Host RAM in bytes, from /proc/meminfo.</summary>
/// <param name="TotalBytes">MemTotal.</param>
/// <param name="AvailableBytes">MemAvailable: what new work can take without swapping.</param>
/// <param name="SwapTotalBytes">SwapTotal.</param>
public sealed record MemoryInfo(long TotalBytes, long AvailableBytes, long SwapTotalBytes);
