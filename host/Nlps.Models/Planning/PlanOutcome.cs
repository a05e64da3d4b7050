namespace Nlps.Models.Planning;

/// <summary>Exactly one of <see cref="Placement"/> and <see cref="Refusal"/> is set.</summary>
public sealed record PlanOutcome(string DeploymentId, Placement? Placement, PlanRefusal? Refusal)
{
    public bool Placed => Placement is not null;
}
