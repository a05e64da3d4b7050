using Nlps.Hardware.Commands;
using Nlps.Hardware.Gpu;

namespace Nlps.Hardware.Tests.Gpu;

public sealed class NvidiaSmiGpuDetectorTests
{
    private const long MiB = 1024 * 1024;

    private static Task<GpuInventory?> Detect(string box) =>
        new NvidiaSmiGpuDetector(new FixtureCommandRunner(FixtureBox.Folder(box))).DetectAsync(CancellationToken.None);

    [Fact]
    public async Task Eight_A100s_with_one_partly_used_by_another_process()
    {
        GpuInventory inventory = (await Detect("a100-8x"))!;

        Assert.Equal(GpuSource.NvidiaSmi, inventory.Source);
        Assert.Equal(8, inventory.Devices.Count);
        Assert.All(inventory.Devices, d => Assert.Equal(81920 * MiB, d.TotalBytes));
        Assert.Equal(68762 * MiB, inventory.Devices[7].FreeBytes);
        Assert.Equal(("535.183.01", "12.2"), (inventory.DriverVersion, inventory.CudaVersion));
        Assert.Null(inventory.Problem);
    }

    [Fact]
    public async Task One_H100_reports_Hopper_capability()
    {
        GpuInventory inventory = (await Detect("h100-1x"))!;

        GpuDevice h100 = Assert.Single(inventory.Devices);
        Assert.Equal("NVIDIA H100 80GB HBM3", h100.Name);
        Assert.Equal(81559 * MiB, h100.TotalBytes);
        Assert.Equal("9.0", h100.ComputeCapability);
        Assert.False(h100.MigEnabled);
    }

    [Fact]
    public async Task Mixed_box_keeps_each_board_its_own_size()
    {
        GpuInventory inventory = (await Detect("mixed"))!;

        Assert.Equal([49140 * MiB, 24564 * MiB, 23034 * MiB], inventory.Devices.Select(d => d.TotalBytes));
    }

    [Fact]
    public async Task Failing_driver_is_an_empty_inventory_with_the_reason()
    {
        GpuInventory inventory = (await Detect("driver-failure"))!;

        Assert.Empty(inventory.Devices);
        Assert.StartsWith("nvidia-smi exited with 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver", inventory.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mig_gpu_carries_its_slices_and_the_whole_gpu_does_not()
    {
        GpuInventory inventory = (await Detect("mig-a100"))!;

        Assert.True(inventory.Devices[0].MigEnabled);
        Assert.Equal(2, inventory.Devices[0].MigInstances.Count);
        Assert.Null(inventory.Devices[0].UtilizationPercent);
        Assert.False(inventory.Devices[1].MigEnabled);
        Assert.Empty(inventory.Devices[1].MigInstances);
    }

    [Fact]
    public async Task Without_nvidia_smi_the_detector_declines()
    {
        Assert.Null(await Detect("cpu-only"));
    }
}
