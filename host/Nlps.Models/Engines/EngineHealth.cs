namespace Nlps.Models.Engines;

/// <summary>A deployment's state on its engine and, when it is not ready, why (for a fault: the last lines of the engine's stderr).</summary>
public sealed record EngineHealth(EngineState State, string Detail)
{
    public static EngineHealth Stopped { get; } = new(EngineState.Stopped, string.Empty);

    public static EngineHealth Ready { get; } = new(EngineState.Ready, string.Empty);
}
