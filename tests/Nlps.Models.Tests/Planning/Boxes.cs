using Microsoft.Extensions.Options;
using Nlps.Hardware.Snapshot;
using Nlps.Models.Planning;

namespace Nlps.Models.Tests.Planning;

/// <summary>Planner devices of the hardware fixture boxes, read through the real snapshot code.</summary>
internal static class Boxes
{
    public static async Task<IReadOnlyList<PlanDevice>> DevicesAsync(string box, bool includeCpu = false)
    {
        var options = new HardwareOptions { SimulatedBoxFolder = TestModels.FixtureBox(box), StateFolder = Path.GetTempPath() };
        HardwareSnapshot snapshot = await new HardwareProbe(Options.Create(options)).CaptureAsync(CancellationToken.None);
        return PlanDevices.FromSnapshot(snapshot, includeCpu);
    }
}
