using Microsoft.Extensions.Options;
using Nlps.Plugins.Management;
using Nlps.Plugins.Packaging;

namespace Nlps.Daemon.Configuration;

/// <summary>Checks at start that every <c>Plugins:TrustedKeyFiles</c> entry is a readable P-256 public key.</summary>
internal sealed class PluginTrustValidator : IValidateOptions<PluginHostOptions>
{
    public ValidateOptionsResult Validate(string? name, PluginHostOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.TrustedKeyFiles.Count; i++)
        {
            var path = options.TrustedKeyFiles[i];
            try
            {
                _ = TrustedKeyRing.FromPemFiles(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidSigningKeyException or ArgumentException)
            {
                failures.Add($"{PluginHostOptions.SectionName}:TrustedKeyFiles:{i} '{path}' is not a usable public key file: {ex.Message}");
            }
        }

        if (!string.IsNullOrEmpty(options.BundledDirectory) && !Directory.Exists(options.BundledDirectory))
        {
            failures.Add($"{PluginHostOptions.SectionName}:BundledDirectory '{options.BundledDirectory}' does not exist");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
