using Microsoft.Extensions.Options;

namespace Nlps.Daemon.Configuration;

/// <summary>Checks <see cref="HttpOptions"/>; each failure names its configuration key.</summary>
internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Urls))
        {
            failures.Add("Http:Urls is empty; give at least one address such as http://127.0.0.1:5080");
        }
        else
        {
            foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                    || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                    || uri.Port is < 0 or > 65535)
                {
                    failures.Add($"Http:Urls '{url}' is not an http:// or https:// address with a port");
                }
            }
        }

        if (options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Http:ShutdownTimeout '{options.ShutdownTimeout}' must be between 00:00:00 and 00:10:00");
        }

        if (options.MaxRequestBodyBytes < 1024)
        {
            failures.Add($"Http:MaxRequestBodyBytes '{options.MaxRequestBodyBytes}' must be at least 1024");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
