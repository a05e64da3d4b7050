using System.Globalization;
using Nlps.Hardware.Snapshot;
using Nlps.Models.Deployments;
using Nlps.Models.Estimation;
using Nlps.Models.Planning;
using Nlps.Provisioning.Profiles;

namespace Nlps.Provisioning.Checking;

/// <summary>
/// Pure: the box (a snapshot) against what the profile expects of it, and the profile's models placed by the planner.
/// Every refusal names the shortfall per device in bytes.
/// </summary>
public sealed class HardwareCheck(PlannerOptions? options = null)
{
    private readonly PlacementPlanner _planner = new(options);

    public (Plan Plan, IReadOnlyList<PreflightProblem> Problems) Run(HardwareSnapshot snapshot, CustomerProfile profile, IReadOnlyDictionary<string, ModelProfile> models)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(models);
        var problems = new List<PreflightProblem>();
        HardwareExpectation expected = profile.Hardware;
        var gpus = snapshot.Gpus.Devices;
        if (expected.GpuCount is int count && gpus.Count < count)
        {
            problems.Add(new("hardware_mismatch", "gpus", Text($"the profile expects {count} GPU(s), the box has {gpus.Count}{(snapshot.Gpus.Problem is { } p ? $" ({p})" : string.Empty)}")));
        }

        if (expected.GpuModel is { } model && gpus.Any(g => !g.Name.Contains(model, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add(new("hardware_mismatch", "gpus", $"the profile expects {model} GPUs, the box has {string.Join(", ", gpus.Select(g => g.Name).Distinct())}"));
        }

        if (expected.MinMemoryBytes is long memory && snapshot.Memory.TotalBytes < memory)
        {
            problems.Add(new("hardware_mismatch", "memory", Text($"the profile expects at least {memory} bytes of RAM, the box has {snapshot.Memory.TotalBytes} (short {memory - snapshot.Memory.TotalBytes} bytes)")));
        }

        var requests = profile.Models.Where(m => models.ContainsKey(m.Id)).Select(m => new DeploymentRequest(
            m.Id,
            models[m.Id],
            new WorkloadShape(m.Quantization, m.MaxContext, m.Concurrency),
            m.Pinned,
            AllowTensorParallel: true,
            AllowedDevices: m.Device == "cpu" ? [ModelDeployments.CpuDevice] : null,
            AllowCpu: m.Device != "gpu")).ToList();
        Plan plan = _planner.Plan(PlanDevices.FromSnapshot(snapshot, includeCpu: true), requests);
        foreach (PlanOutcome outcome in plan.Outcomes.Where(o => o.Refusal is not null))
        {
            PlanRefusal refusal = outcome.Refusal!;
            string shortfalls = string.Join("; ", refusal.Shortfalls.Select(s => Text($"{s.DeviceId} needs {s.RequiredBytes} bytes, has {s.AvailableBytes}, short {s.ShortfallBytes} bytes")));
            string suggestions = refusal.Suggestions.Count == 0 ? string.Empty : $" (try: {string.Join("; ", refusal.Suggestions.Select(s => s.Change))})";
            problems.Add(new("does_not_fit", outcome.DeploymentId, $"{refusal.Message}{(shortfalls.Length > 0 ? $" [{shortfalls}]" : string.Empty)}{suggestions}"));
        }

        return (plan, problems);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
