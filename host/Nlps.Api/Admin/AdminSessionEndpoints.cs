using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nlps.Api.Http;
using Nlps.Api.Security;
using Nlps.Api.Security.Accounts;
using Nlps.Api.Serialization;
using Nlps.Storage.Audit;

namespace Nlps.Api.Admin;

/// <summary>
/// The console's session under <c>/v1/admin/session</c>: its state and antiforgery token, first run (create the
/// first administrator), login with lockout, logout and password change. Everything is audited; the anonymous
/// routes (state, login, setup) are on the public list and login/setup still need the antiforgery token.
/// </summary>
public static class AdminSessionEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminSessionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/admin/session");
        group.MapGet("/", GetAsync).AllowAnonymous();
        group.MapPost("/setup", SetupAsync).AllowAnonymous().WithMetadata(ConsoleAntiforgeryMetadata.Instance);
        group.MapPost("/login", LoginAsync).AllowAnonymous().WithMetadata(ConsoleAntiforgeryMetadata.Instance);
        group.MapPost("/logout", LogoutAsync).RequireAuthorization(ApiPolicies.Admin);
        group.MapPost("/password", ChangePasswordAsync).RequireAuthorization(ApiPolicies.Admin);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext context, AdminAccounts accounts, IAntiforgery antiforgery)
    {
        var account = ConsoleSession.GetAccount(context.User);
        var state = account is not null ? "signed-in"
            : await accounts.NeedsFirstRunAsync(context.RequestAborted) ? "setup"
            : "signed-out";
        return Session(context, antiforgery, accounts, state, account);
    }

    private static async Task<IResult> SetupAsync(HttpContext context, AdminAccounts accounts, IAntiforgery antiforgery, AdminAudit audit)
    {
        var request = await ReadAsync(context, ApiJsonContext.Readable.CredentialsRequest);
        var (account, problem) = await accounts.CreateAsync(request?.Username, request?.Password, "first-run", firstRun: true, context.RequestAborted);
        if (problem is not null)
        {
            await audit.RecordAsync(context, "account.setup", request?.Username, AuditResult.Refused, problem.Detail);
            return ApiProblems.Create(problem.Code == "setup_already_done" ? 409 : 400, problem.Code, "First-run setup refused", problem.Detail);
        }

        await SignInAsync(context, account!.Username, account.SecurityStamp);
        await audit.RecordAsync(context, "account.setup", account.Username, AuditResult.Ok, "first administrator created in the console");
        return Session(context, antiforgery, accounts, "signed-in", account.Username);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, AdminAccounts accounts, IAntiforgery antiforgery, AdminAudit audit, TimeProvider time)
    {
        var request = await ReadAsync(context, ApiJsonContext.Readable.CredentialsRequest);
        if (request?.Username is not { Length: > 0 } username || request.Password is not { } password)
        {
            return ApiProblems.Create(400, "invalid_login_request", "Invalid login request", "send a JSON object {\"username\": …, \"password\": …}");
        }

        var result = await accounts.CheckLoginAsync(username, password, context.RequestAborted);
        switch (result.Outcome)
        {
            case LoginOutcome.SignedIn:
                await SignInAsync(context, result.Account!.Username, result.Account.SecurityStamp);
                await audit.RecordAsync(context, "auth.login", username, AuditResult.Ok, null);
                return Session(context, antiforgery, accounts, "signed-in", username);
            case LoginOutcome.Locked:
                var until = result.LockedUntil!.Value;
                var seconds = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
                await audit.RecordAsync(context, "auth.login", username, AuditResult.Refused, $"account locked until {until:O}");
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ApiProblems.Create(423, "account_locked", "Account locked", $"Too many wrong passwords; this account is locked until {until:O} ({seconds} s).");
            default:
                await audit.RecordAsync(context, "auth.login", username, AuditResult.Refused, "wrong user name or password");
                return ApiProblems.Create(401, "invalid_credentials", "Login failed", "The user name or password is wrong.");
        }
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, AdminAudit audit)
    {
        await audit.RecordAsync(context, "auth.logout", ConsoleSession.GetAccount(context.User), AuditResult.Ok, null);
        await context.SignOutAsync(ConsoleSession.SchemeName);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, AdminAccounts accounts, IAntiforgery antiforgery, AdminAudit audit)
    {
        var username = ConsoleSession.GetAccount(context.User);
        if (username is null)
        {
            return ApiProblems.Create(400, "no_account", "No account", "Only a console session has a password to change; the admin token has none.");
        }

        var request = await ReadAsync(context, ApiJsonContext.Readable.PasswordChangeRequest);
        var (account, problem) = await accounts.ChangePasswordAsync(username, request?.CurrentPassword, request?.NewPassword, context.RequestAborted);
        if (problem is not null)
        {
            await audit.RecordAsync(context, "account.password", username, AuditResult.Refused, problem.Detail);
            return ApiProblems.Create(problem.Code == "invalid_credentials" ? 403 : 400, problem.Code, "Password not changed", problem.Detail);
        }

        // The new stamp ends every other session of this account; this one is re-issued under it.
        await SignInAsync(context, username, account!.SecurityStamp);
        await audit.RecordAsync(context, "account.password", username, AuditResult.Ok, null);
        return Session(context, antiforgery, accounts, "signed-in", username);
    }

    private static async Task SignInAsync(HttpContext context, string username, string stamp)
    {
        var principal = ConsoleSession.Principal(username, stamp);
        await context.SignInAsync(ConsoleSession.SchemeName, principal);

        // The antiforgery token is bound to the user: the token issued in this answer must be the signed-in one's.
        context.User = principal;
    }

    private static IResult Session(HttpContext context, IAntiforgery antiforgery, AdminAccounts accounts, string state, string? username)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Json(new ConsoleSessionInfo(state, username, tokens.RequestToken!, accounts.MinPasswordLength), ApiJsonContext.Readable.ConsoleSessionInfo);
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        var body = await RequestBody.ReadAsync(context.Request, 16 * 1024, context.RequestAborted);
        try
        {
            return body is null || body.Length == 0 ? null : JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
