using System.Text.Json;
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
/// <c>/v1/admin/accounts</c>: list administrators, create one (<c>nlpsctl admins create</c> with the admin token, or a
/// signed-in administrator), delete one (never the caller's own, never the last) and end one's lockout.
/// </summary>
public static class AdminAccountEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapAdminAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/admin/accounts").RequireAuthorization(ApiPolicies.Admin);
        group.MapGet("/", async (AdminAccounts accounts, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var now = time.GetUtcNow();
            var list = (await accounts.ListAsync(cancellationToken)).Select(a => AdminAccountInfo.From(a, now)).ToList();
            return TypedResults.Json<IReadOnlyList<AdminAccountInfo>>(list, ApiJsonContext.Readable.IReadOnlyListAdminAccountInfo);
        });
        group.MapPost("/", async (HttpContext context, AdminAccounts accounts, AdminAudit audit, TimeProvider time) =>
        {
            var body = await RequestBody.ReadAsync(context.Request, 16 * 1024, context.RequestAborted);
            CredentialsRequest? request = null;
            try
            {
                request = body is null || body.Length == 0 ? null : JsonSerializer.Deserialize(body, ApiJsonContext.Readable.CredentialsRequest);
            }
            catch (JsonException)
            {
                // Refused below like any other malformed request.
            }

            var actor = context.User.Identity?.Name ?? "admin";
            var (account, problem) = await accounts.CreateAsync(request?.Username, request?.Password, actor, firstRun: false, context.RequestAborted);
            if (problem is not null)
            {
                await audit.RecordAsync(context, "account.create", request?.Username, AuditResult.Refused, problem.Detail);
                return ApiProblems.Create(problem.Code == "account_exists" ? 409 : 400, problem.Code, "Account not created", problem.Detail);
            }

            await audit.RecordAsync(context, "account.create", account!.Username, AuditResult.Ok, null);
            return TypedResults.Json(AdminAccountInfo.From(account, time.GetUtcNow()), ApiJsonContext.Readable.AdminAccountInfo, statusCode: 201);
        });
        group.MapDelete("/{username}", async (HttpContext context, string username, AdminAccounts accounts, AdminAudit audit) =>
        {
            var problem = await accounts.DeleteAsync(username, ConsoleSession.GetAccount(context.User), context.RequestAborted);
            return await AnswerAsync(context, audit, "account.delete", username, problem, "Account not deleted");
        });
        group.MapPost("/{username}/unlock", async (HttpContext context, string username, AdminAccounts accounts, AdminAudit audit) =>
        {
            var problem = await accounts.UnlockAsync(username, context.RequestAborted);
            return await AnswerAsync(context, audit, "account.unlock", username, problem, "Account not unlocked");
        });
        return endpoints;
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, AdminAudit audit, string action, string username, AccountProblem? problem, string title)
    {
        if (problem is null)
        {
            await audit.RecordAsync(context, action, username, AuditResult.Ok, null);
            return TypedResults.NoContent();
        }

        await audit.RecordAsync(context, action, username, AuditResult.Refused, problem.Detail);
        return ApiProblems.Create(problem.Code == "account_not_found" ? 404 : 409, problem.Code, title, problem.Detail);
    }
}
