namespace Nlps.Models.Planning;

/// <summary>On one device: what the deployment needs, what is left after the reserve and earlier placements, and the gap.</summary>
public sealed record DeviceShortfall(string DeviceId, long RequiredBytes, long AvailableBytes)
{
    public long ShortfallBytes => RequiredBytes - AvailableBytes;
}
