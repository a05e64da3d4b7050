using Microsoft.AspNetCore.Http;
using Nlps.Inference.Engine;
using Nlps.Models.Engines.OpenAi;
using Nlps.Models.Scheduling;

namespace Nlps.Api.OpenAi;

/// <summary>
/// A failure to serve a request on a deployment as the OpenAI error it answers with, the same for chat completions and
/// embeddings: the scheduler's refusal keeps its status (<c>queue_full</c> 429) and Retry-After; an input over the
/// model's window is 400 <c>context_length_exceeded</c>; the built-in engine's own queue being full is 503
/// <c>engine_busy</c>; an engine process or remote endpoint's refusal keeps its 4xx, its message and its code (when it
/// gave one as a word, else <c>engine_refused</c>); its failure, an answer that is not one, or a connection to it that
/// fails is 502 (<c>engine_error</c>, <c>engine_unreachable</c>): the fault is upstream.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Code">The stable code.</param>
/// <param name="Message">A sentence for people.</param>
/// <param name="Param">The request field at fault, or null.</param>
/// <param name="RetryAfter">Sent as Retry-After when given.</param>
internal sealed record ServingError(int Status, string Code, string Message, string? Param = null, TimeSpan? RetryAfter = null)
{
    /// <summary>The answer for <paramref name="exception"/>, or null when it is none of the failures above (a fault here: 500).</summary>
    /// <param name="exception">What serving threw.</param>
    /// <param name="deployment">The deployment asked for, named in the message of a connection failure.</param>
    /// <param name="inputParam">The request field that holds the input (<c>messages</c>, <c>input</c>).</param>
    public static ServingError? From(Exception exception, string deployment, string inputParam) => exception switch
    {
        ModelUnavailableException unavailable => Unavailable(unavailable),
        ContextLengthExceededException tooLong => new(400, "context_length_exceeded", tooLong.Message, inputParam),
        EngineBusyException busy => new(503, "engine_busy", busy.Message, null, busy.RetryAfter),
        EngineHttpException { StatusCode: >= 400 and < 500 } refused => new(refused.StatusCode, refused.Code ?? "engine_refused", refused.Message),
        EngineHttpException failed => new(502, "engine_error", failed.Message),
        HttpRequestException or IOException => new(502, "engine_unreachable", $"The engine serving '{deployment}' could not be reached: {Reason(exception)}"),
        TaskCanceledException { InnerException: TimeoutException } => new(502, "engine_unreachable", $"The engine serving '{deployment}' did not answer in time: {exception.Message}"),
        _ => null,
    };

    /// <summary>The answer for the scheduler's refusal: its status (a full queue 429), code, message and Retry-After.</summary>
    /// <param name="exception">The refusal.</param>
    public static ServingError Unavailable(ModelUnavailableException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        int status = exception.Code == "queue_full" ? 429 : exception.StatusCode;
        return new(status, exception.Code, exception.Message, status == 404 ? "model" : null, exception.RetryAfter);
    }

    /// <summary>Writes the error as the whole response.</summary>
    /// <param name="context">The request.</param>
    public Task WriteAsync(HttpContext context) => OpenAiError.WriteAsync(context, Status, Code, Message, Param, RetryAfter);

    /// <summary>The error document, for a <c>data:</c> event once the 200 header has gone.</summary>
    public byte[] ToJson() => OpenAiError.ToJson(Status, Code, Message, Param);

    // "An error occurred while sending the request." says little; the innermost cause (connection refused, the response
    // ended prematurely) says what happened.
    private static string Reason(Exception exception) =>
        exception.GetBaseException() is var cause && cause != exception && cause.Message != exception.Message ? $"{exception.Message} ({cause.Message})" : exception.Message;
}
