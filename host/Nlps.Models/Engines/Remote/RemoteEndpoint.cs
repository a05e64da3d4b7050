using System.Net.Http.Headers;
using System.Text.Json;
using Nlps.Models.Engines.OpenAi;
using Nlps.Models.Scheduling;

namespace Nlps.Models.Engines.Remote;

/// <summary>
/// One remote OpenAI-compatible server: its HTTP client (connect and request timeouts), its API key (read from the
/// key file once; never logged) and its circuit breaker. Idempotent calls are retried a bounded number of times.
/// </summary>
public sealed class RemoteEndpoint : IDisposable
{
    private readonly RemoteEndpointOptions _options;
    private readonly TimeProvider _timeProvider;

    public RemoteEndpoint(string name, RemoteEndpointOptions options, TimeProvider? timeProvider = null, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? TimeProvider.System;
        Http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout }) { Timeout = options.RequestTimeout };
        ApiKey = options.ApiKeyFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : null;
        Breaker = new CircuitBreaker(options.FailureThreshold, options.OpenDuration, _timeProvider);
    }

    public string Name { get; }

    public Uri BaseAddress => _options.BaseAddress;

    public CircuitBreaker Breaker { get; }

    internal HttpClient Http { get; }

    internal string? ApiKey { get; }

    internal TimeSpan OpenDuration => _options.OpenDuration;

    /// <summary>The model ids the server lists (<c>GET /v1/models</c>), retried on failure.</summary>
    /// <exception cref="ModelUnavailableException">The circuit is open, or every attempt failed.</exception>
    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) => CallIdempotentAsync(GetModelsAsync, cancellationToken);

    /// <summary>
    /// Runs a call that may be repeated without harm (a listing, embeddings) through the circuit breaker: an unreachable,
    /// timed-out or failing endpoint is retried up to MaxRetries times with doubling delays, then counted against the
    /// circuit; an answer, a refusal included, closes it.
    /// </summary>
    /// <exception cref="ModelUnavailableException">The circuit is open, or every attempt failed.</exception>
    public async Task<T> CallIdempotentAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        EnsureClosed();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                T result = await call(cancellationToken).ConfigureAwait(false);
                Breaker.RecordSuccess();
                return result;
            }
            catch (Exception ex) when (IsEndpointFailure(ex, cancellationToken))
            {
                if (attempt >= _options.MaxRetries)
                {
                    throw Failed(ex);
                }

                await Task.Delay(_options.RetryDelay * Math.Pow(2, attempt), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineHttpException)
            {
                Breaker.RecordSuccess();
                throw;
            }
            catch (OperationCanceledException)
            {
                Breaker.RecordNeutral();
                throw;
            }
        }
    }

    /// <summary>Throws when the circuit refuses calls now.</summary>
    /// <exception cref="ModelUnavailableException">Code circuit_open, with the reason and the time left.</exception>
    public void EnsureClosed()
    {
        if (!Breaker.TryEnter(out TimeSpan retryAfter))
        {
            throw new ModelUnavailableException(
                "circuit_open",
                $"remote endpoint '{Name}' ({BaseAddress}) is not used for {Math.Ceiling(retryAfter.TotalSeconds)} s after failures in a row; last: {Breaker.LastFailure}",
                retryAfter);
        }
    }

    /// <summary>Counts the failure and says what happened as a 503.</summary>
    public ModelUnavailableException Failed(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        string reason = failure is TaskCanceledException ? $"no answer within {_options.RequestTimeout}" : failure.Message;
        Breaker.RecordFailure(reason);
        return new ModelUnavailableException("endpoint_unreachable", $"remote endpoint '{Name}' ({BaseAddress}) failed: {reason}", _options.RetryDelay, failure);
    }

    /// <summary>Unreachable, timed out (not the caller's cancellation) or a server error: what the breaker counts.</summary>
    public static bool IsEndpointFailure(Exception exception, CancellationToken callerToken) => exception switch
    {
        HttpRequestException => true,
        TaskCanceledException => !callerToken.IsCancellationRequested,
        EngineHttpException http => http.IsServerError,
        IOException => true,
        _ => false,
    };

    public void Dispose() => Http.Dispose();

    private async Task<IReadOnlyList<string>> GetModelsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, "v1/models"));
        if (ApiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }

        using HttpResponseMessage response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw EngineHttpException.FromErrorBody((int)response.StatusCode, $"GET /v1/models answered {(int)response.StatusCode}", body);
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Select(m => m.TryGetProperty("id", out JsonElement id) ? id.GetString() : null).OfType<string>().ToList()
            : throw new EngineHttpException(200, "GET /v1/models answered without a data array");
    }
}
