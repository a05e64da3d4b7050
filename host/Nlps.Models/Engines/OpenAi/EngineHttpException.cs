using System.Text.Json;

namespace Nlps.Models.Engines.OpenAi;

/// <summary>
/// An OpenAI-compatible engine answered with an error: its HTTP status (or 200 for an error event mid-stream), its
/// message and, when it gave one as a word, its error code.
/// </summary>
public sealed class EngineHttpException : Exception
{
    public EngineHttpException()
    {
    }

    public EngineHttpException(string message)
        : base(message)
    {
    }

    public EngineHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EngineHttpException(int statusCode, string message, string? code = null)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public int StatusCode { get; }

    /// <summary>
    /// The engine's own error code when it is a word (OpenAI and <c>nlpsd engine serve</c> say e.g.
    /// <c>context_length_exceeded</c>); null when it gave none or a number (vLLM and llama.cpp repeat the HTTP status).
    /// </summary>
    public string? Code { get; }

    /// <summary>The engine itself failed (5xx), as opposed to refusing the request.</summary>
    public bool IsServerError => StatusCode >= 500;

    /// <summary>
    /// The error an engine's error body describes: <c>"{what}: {message}"</c> with the <c>message</c> of an OpenAI error
    /// document <c>{"error":{…}}</c> (or the body itself, shortened, when it is not one) and its code.
    /// </summary>
    /// <param name="statusCode">The HTTP status, or 200 for an error event in a stream.</param>
    /// <param name="what">Who answered and how, e.g. <c>"llama answered 400"</c>.</param>
    /// <param name="body">The body or event data.</param>
    public static EngineHttpException FromErrorBody(int statusCode, string what, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out JsonElement error))
            {
                return error.ValueKind == JsonValueKind.Object
                    ? new EngineHttpException(statusCode, $"{what}: {(error.TryGetProperty("message", out JsonElement message) ? message.ToString() : error.ToString())}", Word(error))
                    : new EngineHttpException(statusCode, $"{what}: {error}");
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text is the message.
        }

        return new EngineHttpException(statusCode, $"{what}: {(body.Length <= 500 ? body : body[..500])}");
    }

    private static string? Word(JsonElement error) =>
        error.TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.String
        && code.GetString() is { Length: > 0 and <= 64 } word && word.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? word
            : null;
}
