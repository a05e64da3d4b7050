using System.Text.RegularExpressions;

namespace Nlps.Api.Security.ApiKeys;

/// <summary>
/// What an API key may call. A scope is <c>agent/operation</c>, <c>agent/*</c> (every operation of one agent),
/// <c>*</c> (every agent operation), <c>metrics</c> (scrape <c>/metrics</c>), <c>models</c> (every model deployment
/// through the OpenAI-compatible <c>/v1/models</c> and <c>/v1/chat/completions</c>) or <c>models:deployment</c> (one
/// deployment there). Nothing else: a key never reaches the admin API.
/// </summary>
public static partial class ApiKeyScopes
{
    /// <summary>The scope that lets a key read <c>/metrics</c>.</summary>
    public const string Metrics = "metrics";

    /// <summary>The scope for every model deployment on the OpenAI-compatible API.</summary>
    public const string Models = "models";

    /// <summary>The prefix of a one-deployment scope, <c>models:deployment</c>.</summary>
    public const string ModelPrefix = "models:";

    /// <summary>The scope for every agent operation.</summary>
    public const string AllAgents = "*";

    /// <summary>Why <paramref name="scopes"/> is not a valid scope list, or null when it is.</summary>
    /// <param name="scopes">The requested scopes.</param>
    public static string? Validate(IReadOnlyList<string>? scopes)
    {
        if (scopes is null || scopes.Count == 0)
        {
            return "give at least one scope: 'agent/operation', 'agent/*', '*', 'metrics', 'models' or 'models:deployment'";
        }

        if (scopes.Count > 100)
        {
            return "at most 100 scopes per key";
        }

        foreach (var scope in scopes)
        {
            if (scope is null || !(scope is AllAgents or Metrics or Models || ScopePattern().IsMatch(scope) || ModelScopePattern().IsMatch(scope)))
            {
                return $"'{scope}' is not a scope: use 'agent/operation', 'agent/*', '*', 'metrics', 'models' or 'models:deployment'";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="scopes"/> lets a key call <paramref name="operation"/> of <paramref name="agent"/>.</summary>
    /// <param name="scopes">The key's scopes.</param>
    /// <param name="agent">The agent id.</param>
    /// <param name="operation">The operation name.</param>
    public static bool Allows(IEnumerable<string> scopes, string agent, string operation)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        foreach (var scope in scopes)
        {
            if (scope == AllAgents)
            {
                return true;
            }

            var slash = scope.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0
                && scope.AsSpan(0, slash).Equals(agent, StringComparison.Ordinal)
                && (scope.AsSpan(slash + 1) is "*" || scope.AsSpan(slash + 1).Equals(operation, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="scopes"/> reach at least one operation of <paramref name="agent"/>.</summary>
    /// <param name="scopes">The key's scopes.</param>
    /// <param name="agent">The agent id.</param>
    public static bool AllowsAny(IEnumerable<string> scopes, string agent)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return scopes.Any(scope => scope == AllAgents
            || (scope.Length > agent.Length && scope.StartsWith(agent, StringComparison.Ordinal) && scope[agent.Length] == '/'));
    }

    /// <summary>True when <paramref name="scopes"/> let a key use deployment <paramref name="deployment"/> on the OpenAI-compatible API.</summary>
    /// <param name="scopes">The key's scopes.</param>
    /// <param name="deployment">The deployment name.</param>
    public static bool AllowsModel(IEnumerable<string> scopes, string deployment)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        // A deployment's scope covers its LoRA adapters (deployment:adapter).
        int adapter = deployment.IndexOf(':', StringComparison.Ordinal);
        string baseName = adapter < 0 ? deployment : deployment[..adapter];
        return scopes.Any(scope => scope == Models
            || (scope.StartsWith(ModelPrefix, StringComparison.Ordinal) && scope.AsSpan(ModelPrefix.Length).Equals(baseName, StringComparison.Ordinal)));
    }

    /// <summary>True when <paramref name="scope"/> is <c>models</c> or <c>models:deployment</c>.</summary>
    /// <param name="scope">One scope.</param>
    public static bool IsModelScope(string scope) =>
        scope == Models || (scope?.StartsWith(ModelPrefix, StringComparison.Ordinal) ?? false);

    // Deployment names as Models:Deployments allows them.
    [GeneratedRegex("^models:[a-z0-9][a-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ModelScopePattern();

    // Agent ids and operation names as ManifestValidator allows them; \z, not $, so a trailing newline does not match.
    [GeneratedRegex("^[a-z][a-z0-9.-]{0,63}/(\\*|[a-z0-9][a-z0-9_-]{0,63})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ScopePattern();
}
