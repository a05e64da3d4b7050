namespace Nlps.Models.Deployments;

/// <summary>One model deployment (<c>Models:Deployments:&lt;name&gt;</c>): a stored model served by the built-in CPU engine.</summary>
public sealed class DeploymentOptions
{
    /// <summary>The stored model's id (<c>nlpsctl models list</c>). Required.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Model roles this deployment serves by default, e.g. <c>chat</c>. Default none: agents reach it only by explicit mapping.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>How weights are held in memory: auto (the checkpoint's precision), f32, bf16 or int8. Default auto.</summary>
    public string WeightFormat { get; set; } = "auto";

    /// <summary>Most tokens (prompt + output) per request; 0 = the model's limit, capped at 8192. Default 0.</summary>
    public int MaxContext { get; set; }

    /// <summary>Requests served at once; more wait in the scheduler's queue. Default 2.</summary>
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>Loaded at start and never evicted. Default false.</summary>
    public bool Pinned { get; set; }

    /// <summary>Idle time before it is unloaded; null for the scheduler's default, -00:00:00.001 (Timeout.InfiniteTimeSpan) for never.</summary>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>Kernel threads; 0 = one per logical processor. Default 0.</summary>
    public int Threads { get; set; }

    /// <summary>Settings for an encoder model (served under an embedding role such as <c>embed</c>); ignored for chat models.</summary>
    public EmbeddingDeploymentOptions Embedding { get; set; } = new();
}
