using Microsoft.Extensions.Options;
using Nlps.Hardware.Snapshot;
using Nlps.Models.Estimation;
using Nlps.Provisioning.Checking;
using Nlps.Provisioning.Profiles;
using Nlps.Provisioning.Tests.Support;
using Nlps.Testing.Models;

namespace Nlps.Provisioning.Tests.Checking;

public sealed class HardwareCheckTests
{
    private static async Task<HardwareSnapshot> BoxAsync(string name) =>
        await new HardwareProbe(Options.Create(new HardwareOptions { SimulatedBoxFolder = Fixtures.Box(name), StateFolder = Path.GetTempPath() })).CaptureAsync(CancellationToken.None);

    private static CustomerProfile Profile(HardwareExpectation hardware, params ModelSpec[] models) =>
        new("p.yaml", new CustomerInfo("acme", "Acme"), hardware, models, [], [], [], new AdminSpec("admin"), []);

    private static Dictionary<string, ModelProfile> Tiny(string id, TinyModelSpec spec)
    {
        using var model = TinyModel.Create(spec);
        return new() { [id] = ModelProfile.FromConfig(id, File.ReadAllText(Path.Combine(model.Folder, "config.json"))) };
    }

    [Fact]
    public async Task A_model_that_fits_the_recorded_h100_passes_with_its_placement()
    {
        var model = new ModelSpec("chat", "models/chat", QuantizationMode.Bf16, 256, 4, true, "gpu", ["chat"]);

        var (plan, problems) = new HardwareCheck().Run(await BoxAsync("h100-1x"), Profile(new HardwareExpectation("H100", 1, 64L << 30), model), Tiny("chat", TinyModelSpec.Llama3));

        Assert.Empty(problems);
        Assert.Equal(["gpu0"], plan["chat"].Placement!.Devices);
    }

    [Fact]
    public async Task A_box_other_than_the_one_promised_is_named()
    {
        var (_, problems) = new HardwareCheck().Run(await BoxAsync("h100-1x"), Profile(new HardwareExpectation("L40S", 4, 1L << 40)), new Dictionary<string, ModelProfile>());

        Assert.Equal(3, problems.Count(p => p.Code == "hardware_mismatch"));
        Assert.Contains(problems, p => p.Message.Contains("expects 4 GPU(s), the box has 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("expects L40S GPUs, the box has NVIDIA H100", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Subject == "memory" && p.Message.Contains("short", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_too_large_is_refused_with_the_shortfall_per_device_in_bytes()
    {
        var model = new ModelSpec("big", "models/big", QuantizationMode.Bf16, 131072, 1024, false, "gpu", ["chat"]);
        var spec = TinyModelSpec.Llama3 with { Hidden = 256, Heads = 4, KvHeads = 4, MaxPositions = 131072 };

        var (plan, problems) = new HardwareCheck().Run(await BoxAsync("h100-1x"), Profile(new HardwareExpectation(null, null, null), model), Tiny("big", spec));

        PreflightProblem problem = Assert.Single(problems);
        Assert.Equal(("does_not_fit", "big"), (problem.Code, problem.Subject));
        var shortfall = Assert.Single(plan["big"].Refusal!.Shortfalls);
        Assert.Contains($"gpu0 needs {shortfall.RequiredBytes} bytes, has {shortfall.AvailableBytes}, short {shortfall.ShortfallBytes} bytes", problem.Message, StringComparison.Ordinal);
    }
}
