namespace Nlps.Models.Planning;

/// <summary>A device after planning: free bytes before, reserve, and bytes the plan puts there.</summary>
public sealed record DeviceUsage(string DeviceId, long AvailableBytes, long ReserveBytes, long PlannedBytes)
{
    public long RemainingBytes => AvailableBytes - ReserveBytes - PlannedBytes;
}
