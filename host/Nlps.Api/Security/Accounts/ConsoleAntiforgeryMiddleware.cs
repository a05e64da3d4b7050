using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Nlps.Api.Http;
using Nlps.Storage.Audit;

namespace Nlps.Api.Security.Accounts;

/// <summary>
/// Antiforgery for the console: every state-changing request that a browser could send with ambient credentials
/// (it carries the session cookie) or that signs in (login, first run) must carry the request token from
/// <c>GET /v1/admin/session</c> in <see cref="ConsoleSession.CsrfHeaderName"/>. Bearer-token callers (nlpsctl, API
/// keys) send no cookie and are not asked. A refusal is a 400 <c>csrf_token_invalid</c> problem and an audit row.
/// </summary>
public sealed class ConsoleAntiforgeryMiddleware(RequestDelegate next, IAntiforgery antiforgery, AuditLog audit)
{
    /// <summary>Runs the check, then the rest of the pipeline.</summary>
    /// <param name="context">The request.</param>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (NeedsCheck(context) && !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            var actor = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "anonymous" : "anonymous";
            await audit.AppendAsync(new AuditEntry(actor, "auth.csrf", $"{context.Request.Method} {context.Request.Path}", AuditResult.Refused, "missing or invalid antiforgery token"), CancellationToken.None).ConfigureAwait(false);
            await ApiProblemWriter.WriteAsync(context, 400, "csrf_token_invalid", "Antiforgery check failed", $"Send the token from GET /v1/admin/session in the {ConsoleSession.CsrfHeaderName} header.").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static bool NeedsCheck(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return false;
        }

        if (context.Request.Headers.Authorization.Count > 0)
        {
            return false;
        }

        return context.Request.Cookies.ContainsKey(ConsoleSession.CookieName)
            || context.GetEndpoint()?.Metadata.GetMetadata<ConsoleAntiforgeryMetadata>() is not null;
    }
}
