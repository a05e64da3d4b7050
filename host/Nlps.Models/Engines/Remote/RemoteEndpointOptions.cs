namespace Nlps.Models.Engines.Remote;

/// <summary>
/// An OpenAI-compatible endpoint outside the box (<c>Models:Remotes:&lt;name&gt;</c>), e.g. a vLLM cluster on Ray.
/// Deployments name it with <c>Engine = remote</c> and <c>Remote = &lt;name&gt;</c>.
/// </summary>
public sealed class RemoteEndpointOptions
{
    /// <summary>The server's base URL, without <c>/v1</c> (e.g. <c>https://llm.example.internal:8000/</c>). Required.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>A file holding the API key sent as a bearer token; read at start, never logged. Default none.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Time to connect. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time until the response starts (a streamed answer may run longer). Default 2 minutes.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of idempotent calls (listing models); chat completions are never retried. Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Wait before the first retry, doubled for each further one. Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Failures in a row (unreachable, timeout, 5xx) that open the circuit. Default 3.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long an open circuit refuses calls before one trial call may pass. Default 30 s.</summary>
    public TimeSpan OpenDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The problems, each naming its key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{prefix}:BaseUrl must be an absolute http or https URL, was '{BaseUrl}'";
        }

        if (ApiKeyFile is { Length: > 0 } file && (!File.Exists(file) || new FileInfo(file).Length == 0))
        {
            yield return $"{prefix}:ApiKeyFile {file} does not exist or is empty";
        }

        if (ConnectTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || RetryDelay <= TimeSpan.Zero || OpenDuration <= TimeSpan.Zero)
        {
            yield return $"{prefix}: ConnectTimeout, RequestTimeout, RetryDelay and OpenDuration must be positive";
        }

        if (MaxRetries is < 0 or > 10 || FailureThreshold is < 1 or > 100)
        {
            yield return $"{prefix}: MaxRetries must be 0..10 and FailureThreshold 1..100, were {MaxRetries} and {FailureThreshold}";
        }
    }

    /// <summary>The base URL with a trailing slash, so relative paths append.</summary>
    public Uri BaseAddress => new(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/");
}
