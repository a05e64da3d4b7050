using Nlps.Hardware.Gpu;

namespace Nlps.Hardware.Tests.Gpu;

public sealed class NvidiaSmiSummaryParserTests
{
    [Fact]
    public void Banner_gives_driver_and_cuda_versions()
    {
        var summary = NvidiaSmiSummaryParser.Parse(FixtureBox.Read("a100-8x", "nvidia-smi.txt"));

        Assert.Equal("535.183.01", summary.DriverVersion);
        Assert.Equal("12.2", summary.CudaVersion);
        Assert.Empty(summary.MigEnabledGpus);
        Assert.Empty(summary.MigInstances);
    }

    [Fact]
    public void Mig_table_lists_each_slice_with_its_memory()
    {
        var summary = NvidiaSmiSummaryParser.Parse(FixtureBox.Read("mig-a100", "nvidia-smi.txt"));

        Assert.Equal([0], summary.MigEnabledGpus);
        Assert.Equal(2, summary.MigInstances.Count);
        MigInstance second = summary.MigInstances[1];
        Assert.Equal((0, 2, 0, 1), (second.GpuIndex, second.GpuInstanceId, second.ComputeInstanceId, second.MigDeviceIndex));
        Assert.Equal(40192L * 1024 * 1024, second.TotalBytes);
        Assert.Equal((40192L - 25) * 1024 * 1024, second.FreeBytes);
    }
}
