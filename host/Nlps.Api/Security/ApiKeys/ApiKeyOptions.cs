using System.ComponentModel.DataAnnotations;

namespace Nlps.Api.Security.ApiKeys;

/// <summary>API key defaults, bound from the <c>ApiKeys</c> section.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ApiKeys";

    /// <summary>Requests a minute for a key created without its own limit. Default 600. A key may burst up to its
    /// whole minute at once; the bucket refills evenly over the minute.</summary>
    [Range(1, 1_000_000)]
    public int DefaultRequestsPerMinute { get; set; } = 600;
}
