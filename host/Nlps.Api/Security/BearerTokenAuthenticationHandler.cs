using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nlps.Api.Http;

namespace Nlps.Api.Security;

/// <summary>Authenticates <c>Authorization: Bearer …</c> against the administrator token.</summary>
public sealed class BearerTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminTokenStore tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "NlpsBearer";

    private static readonly AuthenticationTicket AdminTicket = new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin-token"), new Claim(ClaimTypes.Role, ApiPolicies.AdminRole)], SchemeName)),
        SchemeName);

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header is not a bearer token"));
        }

        return Task.FromResult(tokens.Verify(header.AsSpan(prefix.Length).Trim())
            ? AuthenticateResult.Success(AdminTicket)
            : AuthenticateResult.Fail("the bearer token is not valid"));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"nlps\"";
        return ApiProblemWriter.WriteAsync(Context, 401, "unauthorized", "Authentication required", "Send 'Authorization: Bearer <token>'; the administrator token is in the state folder's admin.token file.");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblemWriter.WriteAsync(Context, 403, "forbidden", "Not allowed", "This credential may not use this route.");
}
