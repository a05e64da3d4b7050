using System.Security.Claims;

namespace Nlps.Api.Security.Accounts;

/// <summary>
/// The console's cookie session: names, and the principal an administrator account signs in as. The audit actor
/// of a session is <c>admin:&lt;username&gt;</c>, beside <c>admin-token</c> and <c>apikey:&lt;id&gt;</c>.
/// </summary>
public static class ConsoleSession
{
    /// <summary>The cookie authentication scheme.</summary>
    public const string SchemeName = "NlpsConsole";

    /// <summary>The scheme that picks bearer or cookie per request (the default).</summary>
    public const string SelectorSchemeName = "NlpsSelect";

    /// <summary>The session cookie.</summary>
    public const string CookieName = "nlps_session";

    /// <summary>The antiforgery cookie (its token half; the other half travels in <see cref="CsrfHeaderName"/>).</summary>
    public const string CsrfCookieName = "nlps_csrf";

    /// <summary>The header the console sends its antiforgery request token in.</summary>
    public const string CsrfHeaderName = "X-CSRF-Token";

    /// <summary>The claim holding the account's security stamp at sign-in.</summary>
    public const string StampClaim = "nlps:stamp";

    /// <summary>The claim holding the bare account name.</summary>
    public const string AccountClaim = "nlps:account";

    /// <summary>The principal for a signed-in account.</summary>
    /// <param name="username">The account.</param>
    /// <param name="securityStamp">Its current security stamp.</param>
    public static ClaimsPrincipal Principal(string username, string securityStamp) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, Actor(username)),
            new Claim(ClaimTypes.NameIdentifier, Actor(username)),
            new Claim(AccountClaim, username),
            new Claim(ClaimTypes.Role, ApiPolicies.AdminRole),
            new Claim(StampClaim, securityStamp),
        ],
        SchemeName));

    /// <summary>The audit actor for an account.</summary>
    /// <param name="username">The account.</param>
    public static string Actor(string username) => "admin:" + username;

    /// <summary>The signed-in account of <paramref name="user"/>, or null when it is not a console session.</summary>
    /// <param name="user">The request's user.</param>
    public static string? GetAccount(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.AuthenticationType == SchemeName ? user.FindFirst(AccountClaim)?.Value : null;
    }
}
