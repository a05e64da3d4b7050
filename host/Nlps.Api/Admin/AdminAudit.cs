using Microsoft.AspNetCore.Http;
using Nlps.Storage.Audit;

namespace Nlps.Api.Admin;

/// <summary>Writes the audit row for an administrative action: who, what, on what, and how it ended.</summary>
public sealed class AdminAudit(AuditLog log)
{
    /// <summary>Records one action.</summary>
    /// <param name="context">The request (the actor comes from its user).</param>
    /// <param name="action">What was asked, e.g. <c>plugin.install</c>.</param>
    /// <param name="target">What it was asked of, e.g. the plugin id and version.</param>
    /// <param name="result">How it ended.</param>
    /// <param name="detail">Why, for refusals and failures.</param>
    public Task RecordAsync(HttpContext context, string action, string? target, AuditResult result, string? detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        var actor = context.User.Identity?.Name ?? "anonymous";
        return log.AppendAsync(new AuditEntry(actor, action, target, result, detail), CancellationToken.None);
    }
}
