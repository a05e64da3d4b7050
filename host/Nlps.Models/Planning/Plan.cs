namespace Nlps.Models.Planning;

/// <summary>The planner's answer: one outcome per requested deployment, in request order, and each device's totals.</summary>
public sealed record Plan(IReadOnlyList<PlanOutcome> Outcomes, IReadOnlyList<DeviceUsage> Devices)
{
    public PlanOutcome this[string deploymentId] => Outcomes.Single(o => o.DeploymentId == deploymentId);
}
