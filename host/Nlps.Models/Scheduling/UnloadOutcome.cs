namespace Nlps.Models.Scheduling;

/// <summary>What an operator's unload did.</summary>
public enum UnloadOutcome
{
    Unloaded,

    /// <summary>Nothing to do: it was not loaded (or is loading or unloading already).</summary>
    NotResident,

    /// <summary>Refused: pinned deployments stay loaded; unpin first.</summary>
    Pinned,

    /// <summary>Refused: requests are running or waiting on it.</summary>
    Busy,

    /// <summary>The back-end failed to unload; the deployment is out of service (Faulted).</summary>
    Failed,
}
