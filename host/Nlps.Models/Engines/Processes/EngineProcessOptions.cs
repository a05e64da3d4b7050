namespace Nlps.Models.Engines.Processes;

/// <summary>How an engine process is supervised.</summary>
public sealed class EngineProcessOptions
{
    /// <summary>Longest a start may take until <c>/health</c> answers 200; then it is killed and faulted. Default 2 minutes.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often <c>/health</c> is asked while starting. Default 1 s.</summary>
    public TimeSpan HealthPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait before the first restart; each further restart in a row doubles it. Default 1 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between restarts. Default 1 minute.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Restarts in a row after which the deployment is faulted (a crash loop). Default 5.</summary>
    public int CrashLoopLimit { get; set; } = 5;

    /// <summary>A process that stayed ready this long clears the count of restarts in a row. Default 10 minutes.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time between SIGTERM and SIGKILL when stopping. Default 30 s.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Last stderr lines kept for a fault's reason. Default 20.</summary>
    public int StderrLines { get; set; } = 20;

    /// <summary>The first problem, naming the key under <paramref name="prefix"/>, or null.</summary>
    public string? Validate(string prefix)
    {
        if (StartTimeout <= TimeSpan.Zero || HealthPollInterval <= TimeSpan.Zero || InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff || StopGrace < TimeSpan.Zero || StableAfter <= TimeSpan.Zero)
        {
            return $"{prefix}: StartTimeout, HealthPollInterval, InitialBackoff and StableAfter must be positive, MaxBackoff at least InitialBackoff, StopGrace not negative";
        }

        return CrashLoopLimit is < 0 or > 100 || StderrLines is < 1 or > 1000
            ? $"{prefix}: CrashLoopLimit must be 0..100 and StderrLines 1..1000, were {CrashLoopLimit} and {StderrLines}"
            : null;
    }
}
