using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Serialization;

namespace Nlps.Api.Logs;

/// <summary>
/// <c>GET /v1/admin/logs?after=ID&amp;level=Warning&amp;contains=TEXT&amp;limit=N</c>: nlpsd's recent log lines, oldest
/// first; pass the last id seen as <c>after</c> to follow the log.
/// </summary>
public static class AdminLogEndpoints
{
    private const int MaxLimit = 1000;

    /// <summary>Keeps recent log lines in memory for the admin API.</summary>
    /// <param name="logging">The logging builder.</param>
    public static ILoggingBuilder AddRecentLogs(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.Services.TryAddSingleton<RecentLogBuffer>(_ => new RecentLogBuffer());
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, RecentLogLoggerProvider>());
        return logging;
    }

    /// <summary>Maps the route.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminLogEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/admin/logs", (long? after, string? level, string? contains, int? limit, RecentLogBuffer buffer) =>
        {
            LogLevel minimum = LogLevel.Information;
            if (level is not null && (!Enum.TryParse(level, ignoreCase: true, out minimum) || minimum is LogLevel.None or LogLevel.Trace))
            {
                return ApiProblems.Create(400, "invalid_level", "Invalid log level", $"level '{level}' is not one of Debug, Information, Warning, Error, Critical");
            }

            if (limit is < 1 or > MaxLimit || after is < 0)
            {
                return ApiProblems.Create(400, "invalid_range", "Invalid range", $"limit must be 1..{MaxLimit} and after at least 0");
            }

            var lines = buffer.Read(after ?? 0, minimum, string.IsNullOrEmpty(contains) ? null : contains, limit ?? 200);
            return TypedResults.Json(lines, ApiJsonContext.Readable.IReadOnlyListLogLine);
        }).RequireAuthorization(ApiPolicies.Admin);
        return endpoints;
    }
}
