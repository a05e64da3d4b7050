using Microsoft.Extensions.Options;

namespace Nlps.Models.Planning;

/// <summary>Rejects margins that cannot work, naming the key (section "Planner").</summary>
public sealed class PlannerOptionsValidator : IValidateOptions<PlannerOptions>
{
    public ValidateOptionsResult Validate(string? name, PlannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.GpuReserveBytes < 0)
        {
            failures.Add($"Planner:GpuReserveBytes must not be negative, was {options.GpuReserveBytes}");
        }

        if (options.CpuReserveBytes < 0)
        {
            failures.Add($"Planner:CpuReserveBytes must not be negative, was {options.CpuReserveBytes}");
        }

        if (options.Estimator.KvBlockTokens < 1)
        {
            failures.Add($"Planner:Estimator:KvBlockTokens must be at least 1, was {options.Estimator.KvBlockTokens}");
        }

        if (options.Estimator.DecoderWorkspaceBytes < 0 || options.Estimator.SmallModelWorkspaceBytes < 0
            || options.Estimator.TensorParallelCommunicationBytes < 0 || options.Estimator.CpuWorkspaceBytes < 0)
        {
            failures.Add("Planner:Estimator workspace and communication bytes must not be negative");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
