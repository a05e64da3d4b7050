using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nlps.Api.Http;
using Nlps.Api.Security.ApiKeys;
using Nlps.Storage.Audit;

namespace Nlps.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer …</c>: the administrator token (role admin: every policy), or an API key
/// (no role: only the agent policy within its scopes, and <c>/metrics</c> with the metrics scope). A key that is
/// revoked, expired or wrong is refused with a code that says which, and audited.
/// </summary>
public sealed class BearerTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminTokenStore tokens,
    ApiKeyRegistry keys,
    AuditLog audit) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "NlpsBearer";

    private static readonly AuthenticationTicket AdminTicket = new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin-token"), new Claim(ClaimTypes.Role, ApiPolicies.AdminRole)], SchemeName)),
        SchemeName);

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse("invalid_credentials", "The Authorization header is not a bearer token.");
        }

        var presented = header.AsSpan(prefix.Length).Trim();
        if (tokens.Verify(presented))
        {
            return AuthenticateResult.Success(AdminTicket);
        }

        if (!ApiKeyText.TryParse(presented, out var id))
        {
            await AuditAsync("anonymous", "auth.bearer", null, "not the admin token nor an API key").ConfigureAwait(false);
            return Refuse("invalid_credentials", "The bearer token is not valid.");
        }

        var check = await keys.CheckAsync(id, presented.ToString(), Context.RequestAborted).ConfigureAwait(false);
        switch (check.Outcome)
        {
            case ApiKeyCheckOutcome.Valid:
                return AuthenticateResult.Success(new AuthenticationTicket(ApiKeyClaims.Principal(check.Key!, keys.DefaultRequestsPerMinute, SchemeName), SchemeName));
            case ApiKeyCheckOutcome.Revoked:
                await AuditAsync($"apikey:{id}", "auth.api_key", id, "revoked").ConfigureAwait(false);
                return Refuse("api_key_revoked", $"API key {id} was revoked.");
            case ApiKeyCheckOutcome.Expired:
                await AuditAsync($"apikey:{id}", "auth.api_key", id, "expired").ConfigureAwait(false);
                return Refuse("api_key_expired", $"API key {id} expired at {check.Key!.ExpiresAt:O}.");
            default:
                await AuditAsync("anonymous", "auth.api_key", id, "unknown key or wrong secret").ConfigureAwait(false);
                return Refuse("invalid_credentials", "The bearer token is not valid.");
        }
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"nlps\"";
        if (OpenAi.OpenAiError.IsOpenAiPath(Request.Path))
        {
            return Context.Items[AuthFailure.ItemKey] is AuthFailure refused
                ? OpenAi.OpenAiError.WriteAsync(Context, 401, refused.Code, refused.Detail)
                : OpenAi.OpenAiError.WriteAsync(Context, 401, "invalid_api_key", "Send 'Authorization: Bearer <key>' with an API key that has a 'models' scope, or the administrator token.");
        }

        if (Context.Items[AuthFailure.ItemKey] is AuthFailure failure)
        {
            return ApiProblemWriter.WriteAsync(Context, 401, failure.Code, "Authentication failed", failure.Detail);
        }

        return ApiProblemWriter.WriteAsync(Context, 401, "unauthorized", "Authentication required", "Send 'Authorization: Bearer <token>' with an API key or the administrator token (the state folder's admin.token file).");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        OpenAi.OpenAiError.IsOpenAiPath(Request.Path)
            ? OpenAi.OpenAiError.WriteAsync(Context, 403, "missing_scope", "This credential may not use the model API: an API key needs the 'models' or 'models:<deployment>' scope.")
            : ApiProblemWriter.WriteAsync(
            Context,
            403,
            Context.Items[AuthFailure.ItemKey] is AuthFailure failure ? failure.Code : "forbidden",
            "Not allowed",
            Context.Items[AuthFailure.ItemKey] is AuthFailure reason ? reason.Detail : "This credential may not use this route.");

    private AuthenticateResult Refuse(string code, string detail)
    {
        Context.Items[AuthFailure.ItemKey] = new AuthFailure(code, detail);
        return AuthenticateResult.Fail(detail);
    }

    private Task AuditAsync(string actor, string action, string? target, string detail) =>
        audit.AppendAsync(new AuditEntry(actor, action, target, AuditResult.Refused, $"{detail}; {Request.Method} {Request.Path}"), CancellationToken.None);
}
