using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nlps.Api.Http;
using Nlps.Api.Metrics;
using Nlps.Api.Security.Accounts;
using Nlps.Api.Security.ApiKeys;

namespace Nlps.Api.Security;

/// <summary>Authentication (admin token, API keys, console sessions), antiforgery, the policies, and per-key rate limits.</summary>
public static class ApiSecurityServiceCollectionExtensions
{
    /// <summary>Registers the API's security. Options (<see cref="ApiKeyOptions"/>, <see cref="MetricsOptions"/>, <see cref="AdminAccountOptions"/>) are bound by the host.</summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddNlpsApiSecurity(this IServiceCollection services)
    {
        services.AddSingleton<AdminTokenStore>();
        services.AddSingleton<Storage.ApiKeys.ApiKeyStore>();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<Storage.Admins.AdminAccountStore>();
        services.AddSingleton<AdminAccounts>();

        // A request with an Authorization header is a bearer caller (nlpsctl, API keys); one with only the session
        // cookie is the console. A bearer caller never falls back to the cookie.
        services.AddAuthentication(ConsoleSession.SelectorSchemeName)
            .AddPolicyScheme(ConsoleSession.SelectorSchemeName, "bearer or console session", select => select.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.Count == 0 && http.Request.Cookies.ContainsKey(ConsoleSession.CookieName)
                    ? ConsoleSession.SchemeName
                    : BearerTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthenticationHandler>(BearerTokenAuthenticationHandler.SchemeName, configureOptions: null)
            .AddCookie(ConsoleSession.SchemeName);
        services.AddSingleton<ConsoleCookieEvents>();
        services.AddOptions<CookieAuthenticationOptions>(ConsoleSession.SchemeName).Configure<IOptions<AdminAccountOptions>>((cookie, accounts) =>
        {
            cookie.Cookie.Name = ConsoleSession.CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/";
            cookie.ExpireTimeSpan = accounts.Value.SessionIdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.EventsType = typeof(ConsoleCookieEvents);
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = ConsoleSession.CsrfHeaderName;
            antiforgery.Cookie.Name = ConsoleSession.CsrfCookieName;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.Path = "/";
        });
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

    /// <summary>Checks antiforgery tokens on console requests; call after authentication, before authorization.</summary>
    /// <param name="app">The application.</param>
    public static IApplicationBuilder UseConsoleAntiforgery(this IApplicationBuilder app) =>
        app.UseMiddleware<ConsoleAntiforgeryMiddleware>();

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
