namespace Nlps.Models.Scheduling;

/// <summary>How long models stay loaded and how long requests may wait.</summary>
public sealed class SchedulerOptions
{
    /// <summary>Idle time before an unpinned model is unloaded. Default 5 minutes (Ollama's default).</summary>
    public TimeSpan DefaultKeepAlive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests that may wait per deployment; one more is refused at once. Default 64.</summary>
    public int MaxQueuePerDeployment { get; set; } = 64;

    /// <summary>Longest a request waits for a slot or for memory before it is refused. Default 30 s.</summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Retry-After a refused request is given. Default 5 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events kept for the admin API. Default 200.</summary>
    public int EventHistory { get; set; } = 200;
}
