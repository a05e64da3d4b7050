namespace Nlps.Sdk.Agents;

/// <summary>Thrown when an agent asks for a model role that no deployed model serves.</summary>
public sealed class ModelRoleUnavailableException : AgentOperationException
{
    /// <summary>Creates the exception for <paramref name="role"/>.</summary>
    /// <param name="role">The role that has no model.</param>
    /// <param name="detail">Why, e.g. which model kind the role needs.</param>
    public ModelRoleUnavailableException(string role, string? detail = null)
        : base("model_unavailable", $"no model serves role '{role}'{(detail is null ? string.Empty : ": " + detail)}", statusCode: 503)
    {
        Role = role;
    }

    /// <summary>The role that has no model.</summary>
    public string Role { get; }
}
