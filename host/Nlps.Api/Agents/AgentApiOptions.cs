using System.ComponentModel.DataAnnotations;

namespace Nlps.Api.Agents;

/// <summary>Limits on agent calls, bound from the <c>AgentApi</c> section.</summary>
public sealed class AgentApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AgentApi";

    /// <summary>The largest request body accepted, in bytes. Default 4 MiB.</summary>
    [Range(1, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>How long one operation may run before it is cancelled with 504. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
