using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Http;

namespace Nlps.Api.Security.Accounts;

/// <summary>
/// The console cookie's behaviour on an API: no redirects (401/403 problems instead), and a session is dropped when
/// its account is gone or its password changed since sign-in.
/// </summary>
public sealed class ConsoleCookieEvents : CookieAuthenticationEvents
{
    /// <inheritdoc />
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var account = context.Principal?.FindFirst(ConsoleSession.AccountClaim)?.Value;
        var stamp = context.Principal?.FindFirst(ConsoleSession.StampClaim)?.Value;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AdminAccounts>();
        if (account is null || stamp is null || !await accounts.IsSessionCurrentAsync(account, stamp, context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            context.HttpContext.Items[AuthFailure.ItemKey] = new AuthFailure("session_ended", "The console session ended (signed out elsewhere or the password changed); sign in again.");
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(ConsoleSession.SchemeName).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.HttpContext.Items[AuthFailure.ItemKey] as AuthFailure;
        return ApiProblemWriter.WriteAsync(context.HttpContext, 401, failure?.Code ?? "unauthorized", "Authentication required", failure?.Detail ?? "The console session is missing or expired; sign in again.");
    }

    /// <inheritdoc />
    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApiProblemWriter.WriteAsync(context.HttpContext, 403, "forbidden", "Not allowed", "This session may not use this route.");
    }

    /// <inheritdoc />
    public override Task RedirectToLogout(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;

    /// <inheritdoc />
    public override Task RedirectToReturnUrl(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;
}
