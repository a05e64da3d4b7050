namespace Nlps.Models.Scheduling;

public enum ResidencyState
{
    Unloaded,

    /// <summary>Its bytes are held; the back-end is loading it.</summary>
    Loading,

    Resident,

    /// <summary>Its bytes are still held until the back-end confirms the unload.</summary>
    Unloading,

    /// <summary>An unload failed: its bytes stay held (the memory state is unknown) and it takes no requests.</summary>
    Faulted,
}
