using Nlps.Hardware.Memory;

namespace Nlps.Hardware.Tests.Memory;

public sealed class MemInfoReaderTests
{
    [Fact]
    public async Task Kilobytes_are_read_as_kibibytes()
    {
        MemoryInfo memory = await new MemInfoReader(FixtureBox.Folder("l40s-4x")).ReadAsync(CancellationToken.None);

        Assert.Equal(527_824_468L * 1024, memory.TotalBytes);
        Assert.Equal(515_873_212L * 1024, memory.AvailableBytes);
        Assert.Equal(8_388_604L * 1024, memory.SwapTotalBytes);
    }

    [Fact]
    public void Old_kernels_without_MemAvailable_use_free_plus_cached()
    {
        MemoryInfo memory = MemInfoReader.Parse("MemTotal: 1000 kB\nMemFree: 300 kB\nCached: 200 kB\n");

        Assert.Equal(500L * 1024, memory.AvailableBytes);
    }

    [Fact]
    public void Missing_total_is_an_error()
    {
        var error = Assert.Throws<HardwareFormatException>(() => MemInfoReader.Parse("MemFree: 300 kB\n"));
        Assert.Contains("MemTotal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_is_not_a_number_is_an_error()
    {
        Assert.Throws<HardwareFormatException>(() => MemInfoReader.Parse("MemTotal: lots kB\n"));
    }
}
