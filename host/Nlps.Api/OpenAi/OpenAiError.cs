using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Nlps.Api.OpenAi;

/// <summary>
/// Errors on the OpenAI-compatible surface in OpenAI's shape, <c>{"error":{"message","type","param","code"}}</c>, which
/// the OpenAI SDKs unwrap (this surface does not use problem+json).
/// </summary>
public static class OpenAiError
{
    /// <summary>Escapes only what JSON requires, so Korean messages stay readable.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True for the routes that answer in OpenAI's error shape.</summary>
    /// <param name="path">The request path.</param>
    public static bool IsOpenAiPath(PathString path) =>
        path.StartsWithSegments("/v1/models", StringComparison.Ordinal) || path.StartsWithSegments("/v1/chat", StringComparison.Ordinal)
        || path.StartsWithSegments("/v1/embeddings", StringComparison.Ordinal);

    /// <summary>The OpenAI error type for a status: invalid_request_error, authentication_error, permission_error, not_found_error, rate_limit_error or server_error.</summary>
    /// <param name="status">The HTTP status.</param>
    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>Writes the error as the whole response.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">A stable code, e.g. context_length_exceeded.</param>
    /// <param name="message">A sentence for people.</param>
    /// <param name="param">The request field at fault, or null.</param>
    /// <param name="retryAfter">Sent as Retry-After (whole seconds, at least 1) when given.</param>
    public static async Task WriteAsync(HttpContext context, int status, string code, string message, string? param = null, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        if (retryAfter is TimeSpan wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.Body.WriteAsync(ToJson(status, code, message, param), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The error document as UTF-8 JSON (also the payload of a <c>data:</c> event after the 200 header).</summary>
    /// <param name="status">The HTTP status it stands for.</param>
    /// <param name="code">A stable code.</param>
    /// <param name="message">A sentence for people.</param>
    /// <param name="param">The request field at fault, or null.</param>
    public static byte[] ToJson(int status, string code, string message, string? param)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", TypeFor(status));
            if (param is null)
            {
                json.WriteNull("param");
            }
            else
            {
                json.WriteString("param", param);
            }

            json.WriteString("code", code);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
