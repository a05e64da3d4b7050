using Microsoft.Extensions.Options;

namespace Nlps.Hardware.Snapshot;

/// <summary>Rejects a configuration that cannot work, naming the key.</summary>
public sealed class HardwareOptionsValidator : IValidateOptions<HardwareOptions>
{
    public ValidateOptionsResult Validate(string? name, HardwareOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RefreshInterval <= TimeSpan.Zero)
        {
            failures.Add($"{HardwareOptions.SectionName}:RefreshInterval must be positive, was {options.RefreshInterval}");
        }

        if (string.IsNullOrWhiteSpace(options.ProcRoot))
        {
            failures.Add($"{HardwareOptions.SectionName}:ProcRoot must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.StateFolder))
        {
            failures.Add($"{HardwareOptions.SectionName}:StateFolder must not be empty");
        }

        if (options.SimulatedBoxFolder is { } box && !File.Exists(Path.Combine(box, "proc", "cpuinfo")))
        {
            failures.Add($"{HardwareOptions.SectionName}:SimulatedBoxFolder '{box}' has no proc/cpuinfo");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
