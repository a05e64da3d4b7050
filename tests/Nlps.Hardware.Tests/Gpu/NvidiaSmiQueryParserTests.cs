using Nlps.Hardware.Gpu;

namespace Nlps.Hardware.Tests.Gpu;

public sealed class NvidiaSmiQueryParserTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void L40S_box_parses_four_boards_in_bytes()
    {
        var rows = NvidiaSmiQueryParser.Parse(FixtureBox.Read("l40s-4x", "nvidia-smi-query.csv"));

        Assert.Equal(4, rows.Count);
        GpuDevice first = rows[0].Device;
        Assert.Equal("NVIDIA L40S", first.Name);
        Assert.Equal(46068 * MiB, first.TotalBytes);
        Assert.Equal(45469 * MiB, first.FreeBytes);
        Assert.Equal(1 * MiB, first.UsedBytes);
        Assert.Equal("8.9", first.ComputeCapability);
        Assert.Equal("00000000:01:00.0", first.PciBusId);
        Assert.Equal(32.15, first.PowerDrawWatts);
        Assert.Equal("550.54.15", rows[0].DriverVersion);
        Assert.Equal([0, 1, 2, 3], rows.Select(r => r.Device.Index));
    }

    [Fact]
    public void Placeholders_become_null_not_zero()
    {
        var rows = NvidiaSmiQueryParser.Parse(FixtureBox.Read("mixed", "nvidia-smi-query.csv"));

        Assert.Null(rows[1].Device.PowerDrawWatts);
        Assert.Null(rows[2].Device.TemperatureCelsius);
        Assert.Equal(36, rows[1].Device.TemperatureCelsius);
    }

    [Fact]
    public void An_extra_column_is_an_error_naming_the_line()
    {
        const string line = "0, NVIDIA L40S, GPU-1, 46068, 1, 45469, 8.9, 00000000:01:00.0, 550.54.15, 0, 28, 32.15, Enabled\n";

        var error = Assert.Throws<HardwareFormatException>(() => NvidiaSmiQueryParser.Parse(line));

        Assert.Contains("line 1 has 13 columns, expected 12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_with_units_is_an_error_naming_the_column()
    {
        const string line = "0, NVIDIA L40S, GPU-1, 46068 MiB, 1, 45469, 8.9, 00000000:01:00.0, 550.54.15, 0, 28, 32.15\n";

        var error = Assert.Throws<HardwareFormatException>(() => NvidiaSmiQueryParser.Parse(line));

        Assert.Contains("'memory.total'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_total_is_an_error_not_a_zero_sized_gpu()
    {
        const string line = "0, NVIDIA L40S, GPU-1, [N/A], 1, 45469, 8.9, 00000000:01:00.0, 550.54.15, 0, 28, 32.15\n";

        Assert.Throws<HardwareFormatException>(() => NvidiaSmiQueryParser.Parse(line));
    }

    [Fact]
    public void Empty_output_means_no_gpus()
    {
        Assert.Empty(NvidiaSmiQueryParser.Parse("\n"));
    }
}
