using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nlps.Api.Http;
using Nlps.Api.Metrics;
using Nlps.Plugins.Management;
using Nlps.Plugins.Runtime;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;

namespace Nlps.Api.Agents;

/// <summary>
/// Runs one agent operation for an HTTP request: finds the running agent, takes a lease, reads the JSON body within
/// the size limit, runs the operation under the call timeout (cancelled when the client goes away), and writes the
/// JSON response, an SSE stream, or a problem document.
/// </summary>
public sealed partial class OperationDispatcher(
    PluginManager plugins,
    IOptions<AgentApiOptions> options,
    TimeProvider timeProvider,
    ApplianceMetrics metrics,
    ILogger<OperationDispatcher> logger)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] DoneEvent = "event: done\ndata: {}\n\n"u8.ToArray();
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();
    private readonly AgentApiOptions limits = options.Value;

    /// <summary>Handles <c>POST /v1/agents/{agent}/{operation}</c>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="agentId">The agent id from the route.</param>
    /// <param name="operationName">The operation from the route.</param>
    public async Task DispatchAsync(HttpContext context, string agentId, string operationName)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!plugins.TryGetRunning(agentId, out var agent, out var status))
        {
            await (status is null
                ? ApiProblemWriter.WriteAsync(context, 404, "agent_not_found", "No such agent", $"No agent with id '{agentId}' is installed.")
                : ApiProblemWriter.WriteAsync(context, 503, "agent_not_running", "Agent not running", $"Agent '{agentId}' is {status.State}: {status.Reason}")).ConfigureAwait(false);
            return;
        }

        if (!agent.TryEnter())
        {
            await ApiProblemWriter.WriteAsync(context, 503, "agent_not_running", "Agent not running", $"Agent '{agentId}' is stopping.").ConfigureAwait(false);
            return;
        }

        try
        {
            await RunAsync(context, agent, agentId, operationName).ConfigureAwait(false);
        }
        finally
        {
            agent.Exit();
        }
    }

    private async Task RunAsync(HttpContext context, ActiveAgent agent, string agentId, string operationName)
    {
        if (!agent.Operations.TryGetValue(operationName, out var operation))
        {
            await ApiProblemWriter.WriteAsync(context, 404, "operation_not_found", "No such operation", $"Agent '{agentId}' has no operation '{operationName}'.").ConfigureAwait(false);
            return;
        }

        // Only calls to operations that exist are counted by agent: unknown names would be unbounded label values.
        var started = timeProvider.GetTimestamp();
        try
        {
            await RunOperationAsync(context, agent, operation, agentId, operationName).ConfigureAwait(false);
        }
        finally
        {
            metrics.RecordAgentCall(agentId, operationName, context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode, timeProvider.GetElapsedTime(started));
        }
    }

    private async Task RunOperationAsync(HttpContext context, ActiveAgent agent, AgentOperation operation, string agentId, string operationName)
    {

        if (!IsJson(context.Request.ContentType))
        {
            await ApiProblemWriter.WriteAsync(context, 415, "unsupported_media_type", "JSON required", "Send the request body as application/json.").ConfigureAwait(false);
            return;
        }

        using var timeout = new CancellationTokenSource(limits.OperationTimeout, timeProvider);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token, agent.Stopping);
        try
        {
            var body = await RequestBody.ReadAsync(context.Request, limits.MaxRequestBodyBytes, call.Token).ConfigureAwait(false);
            if (body is null)
            {
                await ApiProblemWriter.WriteAsync(context, 413, "request_too_large", "Request too large", $"The request body is larger than AgentApi:MaxRequestBodyBytes ({limits.MaxRequestBodyBytes} bytes).").ConfigureAwait(false);
                return;
            }

            if (body.Length == 0)
            {
                body = EmptyObject;
            }

            if (operation.IsStreaming)
            {
                await StreamAsync(context, operation, body, call.Token).ConfigureAwait(false);
            }
            else
            {
                var response = await operation.InvokeAsync(body, call.Token).ConfigureAwait(false);
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength = response.Length;
                await context.Response.Body.WriteAsync(response, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await WriteFailureAsync(context, ex, agentId, operationName, timeout.IsCancellationRequested, agent.Stopping.IsCancellationRequested).ConfigureAwait(false);
        }
    }

    private static async Task StreamAsync(HttpContext context, AgentOperation operation, byte[] body, CancellationToken cancellationToken)
    {
        await using var items = operation.StreamAsync(body, cancellationToken).GetAsyncEnumerator(cancellationToken);

        // Errors before the first item still get a proper status code; later ones become an SSE error event.
        var hasItem = await items.MoveNextAsync().ConfigureAwait(false);
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var output = context.Response.Body;
        while (hasItem)
        {
            await output.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(items.Current, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            hasItem = await items.MoveNextAsync().ConfigureAwait(false);
        }

        await output.WriteAsync(DoneEvent, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteFailureAsync(HttpContext context, Exception exception, string agentId, string operationName, bool timedOut, bool agentStopping)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            Log.CallerWentAway(logger, agentId, operationName);
            return;
        }

        var (status, code, title, detail) = exception switch
        {
            OperationCanceledException when timedOut => (504, "operation_timeout", "Operation timed out", $"'{agentId}/{operationName}' did not finish within {limits.OperationTimeout}."),
            OperationCanceledException when agentStopping => (503, "agent_not_running", "Agent stopping", $"Agent '{agentId}' stopped during the call."),
            AgentOperationException agentError => (agentError.StatusCode, agentError.ErrorCode, "The agent refused the request", agentError.Message),
            Nlps.Models.Scheduling.ModelUnavailableException unavailable => (unavailable.StatusCode, unavailable.Code, "Model unavailable", unavailable.Message),
            _ => (500, "agent_failed", "The agent failed", $"{exception.GetType().Name}: {exception.Message}"),
        };
        if (status == 500)
        {
            Log.OperationFailed(logger, agentId, operationName, exception);
        }

        if (context.Response.HasStarted)
        {
            // Mid-stream: the status line is gone, so the error travels as the last event.
            var payload = Encoding.UTF8.GetBytes($"event: error\ndata: {{\"code\":\"{code}\",\"status\":{status}}}\n\n");
            await context.Response.Body.WriteAsync(payload, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (exception is Nlps.Models.Scheduling.ModelUnavailableException { RetryAfter: TimeSpan wait })
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ApiProblemWriter.WriteAsync(context, status, code, title, detail).ConfigureAwait(false);
    }

    private static bool IsJson(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Operation {AgentId}/{Operation} failed", EventName = "AgentOperationFailed")]
        public static partial void OperationFailed(ILogger logger, string agentId, string operation, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "Caller went away during {AgentId}/{Operation}; the call was cancelled", EventName = "AgentCallerWentAway")]
        public static partial void CallerWentAway(ILogger logger, string agentId, string operation);
    }
}
