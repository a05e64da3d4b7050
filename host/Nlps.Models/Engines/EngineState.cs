namespace Nlps.Models.Engines;

/// <summary>The life of one deployment on an engine.</summary>
public enum EngineState
{
    Stopped,

    /// <summary>Started, not yet answering its health check.</summary>
    Starting,

    Ready,

    /// <summary>It stopped without being asked; waiting out the back-off before the next start.</summary>
    Restarting,

    /// <summary>Given up (crash loop, start timeout, port taken): it stays down until it is started again.</summary>
    Faulted,

    /// <summary>A remote endpoint whose circuit is open: calls fail fast until a trial call succeeds.</summary>
    Unavailable,
}
