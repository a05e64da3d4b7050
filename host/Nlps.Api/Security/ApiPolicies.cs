namespace Nlps.Api.Security;

/// <summary>Authorization policy names. Agent calls and admin calls are separate policies so API keys can narrow them.</summary>
public static class ApiPolicies
{
    /// <summary>Administrative routes under <c>/v1/admin</c>: the administrator only.</summary>
    public const string Admin = "nlps-admin";

    /// <summary>Agent routes under <c>/v1/agents</c>: the administrator, or an API key within its scopes.</summary>
    public const string Agents = "nlps-agents";

    /// <summary><c>/metrics</c>: the administrator, an API key with the <c>metrics</c> scope, or (by configuration) anyone on loopback.</summary>
    public const string Metrics = "nlps-metrics";

    /// <summary>The OpenAI-compatible <c>/v1/models</c> and <c>/v1/chat/completions</c>: the administrator, or an API key with a <c>models</c> scope.</summary>
    public const string Models = "nlps-models";

    /// <summary>The role an administrator credential carries.</summary>
    public const string AdminRole = "admin";
}
