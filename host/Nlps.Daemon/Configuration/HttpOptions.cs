namespace Nlps.Daemon.Configuration;

/// <summary>How nlpsd listens. Bound from the <c>Http</c> section.</summary>
public sealed class HttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Http";

    /// <summary>Addresses to listen on, separated by ';'. Default <c>http://127.0.0.1:5080</c>: the admin surface is
    /// local unless an operator says otherwise.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How long a shutdown (SIGTERM) waits for requests in flight. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest request body Kestrel accepts on any route, in bytes. Default 256 MiB (package uploads);
    /// agent calls have their own, smaller limit (<c>AgentApi:MaxRequestBodyBytes</c>).</summary>
    public long MaxRequestBodyBytes { get; set; } = 256L * 1024 * 1024;
}
