using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Nlps.Api.Http;

/// <summary>RFC 7807 problem responses with a stable machine-readable <c>code</c> extension.</summary>
public static class ApiProblems
{
    /// <summary>The media type of problem responses.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>A problem result.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The stable snake_case code.</param>
    /// <param name="title">A short summary that does not change between occurrences.</param>
    /// <param name="detail">What happened this time.</param>
    public static IResult Create(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(Details(status, code, title, detail));

    /// <summary>The problem document itself (for writers that are not <see cref="IResult"/>s).</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The stable snake_case code.</param>
    /// <param name="title">A short summary.</param>
    /// <param name="detail">What happened this time.</param>
    public static ProblemDetails Details(int status, string code, string title, string? detail = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://nlps.local/problems/{code}",
        };
        problem.Extensions["code"] = code;
        return problem;
    }
}
