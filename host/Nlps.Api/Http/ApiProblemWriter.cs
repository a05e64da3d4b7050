using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Nlps.Api.Serialization;

namespace Nlps.Api.Http;

/// <summary>Writes a problem document straight to a response (for middleware and handlers outside endpoint results).</summary>
public static class ApiProblemWriter
{
    /// <summary>Writes the problem with its status and media type.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The stable code.</param>
    /// <param name="title">A short summary.</param>
    /// <param name="detail">What happened.</param>
    public static async Task WriteAsync(HttpContext context, int status, string code, string title, string? detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = ApiProblems.ContentType;
        var problem = ApiProblems.Details(status, code, title, detail);
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, ApiJsonContext.Readable.ProblemDetails, context.RequestAborted).ConfigureAwait(false);
    }
}
