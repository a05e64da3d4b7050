namespace Nlps.Api.Security;

/// <summary>Authorization policy names. Agent calls and admin calls are separate policies so API keys can narrow them.</summary>
public static class ApiPolicies
{
    /// <summary>Administrative routes under <c>/v1/admin</c>.</summary>
    public const string Admin = "nlps-admin";

    /// <summary>Agent routes under <c>/v1/agents</c>.</summary>
    public const string Agents = "nlps-agents";

    /// <summary>The role an administrator credential carries.</summary>
    public const string AdminRole = "admin";
}
