using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Nlps.Console;

/// <summary>
/// Serves the console under <c>/console/</c>. The files are public (they hold no data: everything shown comes from
/// the admin API with the session cookie) and go out with a strict Content-Security-Policy: scripts and styles from
/// this origin only, no inline script, no framing, API calls to this origin only.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>The policy on every console file.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Registers the embedded files.</summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddNlpsConsole(this IServiceCollection services) => services.AddSingleton<ConsoleAssets>();

    /// <summary>Maps <c>/console/{**path}</c> (and <c>/console</c>, a redirect there).</summary>
    /// <param name="endpoints">The route builder.</param>
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        // One route: it also matches "/console" (empty path), which is sent to "/console/" so relative URLs resolve.
        endpoints.MapMethods("/console/{**path}", [HttpMethods.Get, HttpMethods.Head], Serve).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(HttpContext context, string? path, ConsoleAssets assets)
    {
        if (string.IsNullOrEmpty(path) && context.Request.Path.Value?.EndsWith('/') != true)
        {
            return TypedResults.Redirect("/console/");
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";

        var asset = assets.Find(string.IsNullOrEmpty(path) ? "index.html" : path);
        if (asset is null)
        {
            return TypedResults.NotFound();
        }

        // Revalidate every time (cheap: an ETag match is a 304), so a new nlpsd never runs with old scripts.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Any(tag => tag == asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
