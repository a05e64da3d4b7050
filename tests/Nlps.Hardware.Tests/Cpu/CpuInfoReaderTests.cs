using Nlps.Hardware.Cpu;

namespace Nlps.Hardware.Tests.Cpu;

public sealed class CpuInfoReaderTests
{
    [Fact]
    public async Task Reference_box_has_two_sockets_64_cores_128_threads_and_amx()
    {
        CpuInfo cpu = await new CpuInfoReader(FixtureBox.Folder("l40s-4x")).ReadAsync(CancellationToken.None);

        Assert.Equal("Intel(R) Xeon(R) Gold 6430", cpu.Model);
        Assert.Equal(2, cpu.Sockets);
        Assert.Equal(64, cpu.Cores);
        Assert.Equal(128, cpu.Threads);
        Assert.True(cpu.HasAvx2);
        Assert.True(cpu.HasAvx512);
        Assert.True(cpu.HasAmx);
    }

    [Fact]
    public async Task Zen2_has_avx2_but_neither_avx512_nor_amx()
    {
        CpuInfo cpu = await new CpuInfoReader(FixtureBox.Folder("a100-8x")).ReadAsync(CancellationToken.None);

        Assert.Equal((2, 128, 256), (cpu.Sockets, cpu.Cores, cpu.Threads));
        Assert.True(cpu.HasAvx2);
        Assert.False(cpu.HasAvx512);
        Assert.False(cpu.HasAmx);
    }

    [Fact]
    public void Without_topology_fields_every_thread_is_a_core_on_one_socket()
    {
        const string text = "processor\t: 0\nmodel name\t: Virtual CPU\nflags\t\t: sse2 avx2\n\nprocessor\t: 1\nmodel name\t: Virtual CPU\n";

        CpuInfo cpu = CpuInfoReader.Parse(text);

        Assert.Equal((1, 2, 2), (cpu.Sockets, cpu.Cores, cpu.Threads));
        Assert.True(cpu.HasAvx2);
    }

    [Fact]
    public void Text_without_processors_is_an_error_not_zero_cpus()
    {
        Assert.Throws<HardwareFormatException>(() => CpuInfoReader.Parse("garbage\n"));
    }
}
