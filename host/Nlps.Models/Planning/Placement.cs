using Nlps.Models.Estimation;

namespace Nlps.Models.Planning;

/// <summary>Where a deployment goes and what it takes there.</summary>
/// <param name="PerDevice">Bytes on each device of <paramref name="Devices"/>, by cause; the per-device reserve is on top.</param>
/// <param name="KvTokensReserved">Cached tokens budgeted: sequences × context, in whole blocks.</param>
/// <param name="KvTokensCapacity">Cached tokens the devices could hold for it if its KV took all the room still free there after this plan.</param>
public sealed record Placement(
    IReadOnlyList<string> Devices,
    int TensorParallel,
    bool OnCpu,
    MemoryBreakdown PerDevice,
    long ReserveBytesPerDevice,
    long KvBytesPerTokenPerDevice,
    long KvTokensReserved,
    long KvTokensCapacity);
