namespace Nlps.Hardware.Snapshot;

/// <summary>The latest hardware snapshot, for the API, the planner and the scheduler.</summary>
public interface IHardwareSnapshotSource
{
    /// <summary>The last snapshot taken, or null before the first one finished.</summary>
    HardwareSnapshot? Current { get; }

    /// <summary>Takes a fresh snapshot now and makes it current.</summary>
    Task<HardwareSnapshot> RefreshAsync(CancellationToken cancellationToken);
}
