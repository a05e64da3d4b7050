namespace Nlps.Hardware.Cpu;

/// <summary>The host CPUs as the kernel reports them in /proc/cpuinfo.</summary>
/// <param name="Model">The model name of the first processor (e.g. "Intel(R) Xeon(R) Gold 6430").</param>
/// <param name="Sockets">Distinct physical packages.</param>
/// <param name="Cores">Distinct physical cores over all sockets.</param>
/// <param name="Threads">Logical processors.</param>
/// <param name="Flags">ISA flags of the first processor (avx2, avx512f, amx_tile, ...).</param>
public sealed record CpuInfo(string Model, int Sockets, int Cores, int Threads, IReadOnlySet<string> Flags)
{
    public bool HasAvx2 => Flags.Contains("avx2");

    public bool HasAvx512 => Flags.Contains("avx512f");

    public bool HasAmx => Flags.Contains("amx_tile");
}
