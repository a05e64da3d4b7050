using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Http;
using Nlps.Api.Metrics;
using Nlps.Api.Security.ApiKeys;

namespace Nlps.Api.Security;

/// <summary>Authentication (admin token, API keys), the policies, and per-key rate limits.</summary>
public static class ApiSecurityServiceCollectionExtensions
{
    /// <summary>Registers the API's security. Options (<see cref="ApiKeyOptions"/>, <see cref="MetricsOptions"/>) are bound by the host.</summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddNlpsApiSecurity(this IServiceCollection services)
    {
        services.AddSingleton<AdminTokenStore>();
        services.AddSingleton<Storage.ApiKeys.ApiKeyStore>();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddAuthentication(BearerTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthenticationHandler>(BearerTokenAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Admin, policy => policy.RequireRole(ApiPolicies.AdminRole))
            .AddPolicy(ApiPolicies.Agents, policy => policy.RequireAuthenticatedUser().AddRequirements(new AgentScopeRequirement()))
            .AddPolicy(ApiPolicies.Metrics, policy => policy.AddRequirements(new MetricsAccessRequirement()))
            .AddPolicy(ApiPolicies.Models, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
                context.User.IsInRole(ApiPolicies.AdminRole) || ApiKeyClaims.GetScopes(context.User).Any(ApiKeyScopes.IsModelScope)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(PartitionByKey);
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    // Only API keys are limited; the administrator and anonymous routes (health) are not.
    private static RateLimitPartition<string> PartitionByKey(HttpContext http)
    {
        var keyId = ApiKeyClaims.GetKeyId(http.User);
        if (keyId is null)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var perMinute = ApiKeyClaims.GetRequestsPerMinute(http.User);
        var time = http.RequestServices.GetRequiredService<TimeProvider>();

        // The limit is part of the partition key, so a key re-created with another limit gets a new bucket.
        return RateLimitPartition.Get($"{keyId}:{perMinute}", _ => new KeyTokenBucket(perMinute, time));
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var keyId = ApiKeyClaims.GetKeyId(http.User) ?? "unknown";
        http.RequestServices.GetService<ApplianceMetrics>()?.RecordRateLimited(keyId);
        if (OpenAi.OpenAiError.IsOpenAiPath(http.Request.Path))
        {
            await OpenAi.OpenAiError.WriteAsync(http, 429, "rate_limited", $"API key {keyId} is over its limit of {ApiKeyClaims.GetRequestsPerMinute(http.User)} requests a minute; retry after {seconds} s.").ConfigureAwait(false);
            return;
        }

        await ApiProblemWriter.WriteAsync(http, 429, "rate_limited", "Too many requests", $"API key {keyId} is over its limit of {ApiKeyClaims.GetRequestsPerMinute(http.User)} requests a minute; retry after {seconds} s.").ConfigureAwait(false);
    }
}
