using Microsoft.Extensions.Options;

namespace Nlps.Daemon.Configuration;

/// <summary>Checks <see cref="StateOptions"/>: the folder must be creatable and writable.</summary>
internal sealed class StateOptionsValidator : IValidateOptions<StateOptions>
{
    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return ValidateOptionsResult.Fail("State:Directory is empty");
        }

        try
        {
            Directory.CreateDirectory(options.FullPath);
            var probe = Path.Combine(options.FullPath, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ValidateOptionsResult.Fail($"State:Directory '{options.Directory}' is not a writable folder: {ex.Message}");
        }
    }
}
