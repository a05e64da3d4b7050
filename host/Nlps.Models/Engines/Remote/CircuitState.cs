namespace Nlps.Models.Engines.Remote;

public enum CircuitState
{
    /// <summary>Calls pass; failures in a row are counted.</summary>
    Closed,

    /// <summary>Calls are refused at once until the open period ends.</summary>
    Open,

    /// <summary>The open period ended: one trial call passes; its outcome closes or reopens the circuit.</summary>
    HalfOpen,
}
