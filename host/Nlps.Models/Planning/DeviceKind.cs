namespace Nlps.Models.Planning;

public enum DeviceKind
{
    Gpu,

    /// <summary>A MIG instance: its own memory, never part of a tensor-parallel group.</summary>
    MigSlice,

    /// <summary>Host RAM for the built-in CPU engine.</summary>
    Cpu,
}
