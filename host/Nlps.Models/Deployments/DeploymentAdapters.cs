using System.Globalization;

namespace Nlps.Models.Deployments;

/// <summary>
/// Names of LoRA adapters on CPU deployments: the configuration's <c>Adapters</c> as (served name, stored adapter)
/// pairs, and model names of the form <c>deployment:adapter</c>.
/// </summary>
public static class DeploymentAdapters
{
    public const char Separator = ':';

    /// <summary>
    /// Served name → stored adapter name. A JSON list (<c>"Adapters": ["fin-ko"]</c>) binds with index keys; its
    /// entries are served under their own names. An empty value means the stored adapter of the served name.
    /// </summary>
    public static IReadOnlyList<(string Served, string Stored)> Of(DeploymentOptions deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.Adapters
            .Select(a => a.Key.All(char.IsAsciiDigit) ? (a.Value, a.Value) : (a.Key, string.IsNullOrEmpty(a.Value) ? a.Key : a.Value))
            .OrderBy(a => a.Item1, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Splits <c>deployment:adapter</c>; false for a plain deployment name.</summary>
    public static bool TrySplit(string name, out string deployment, out string adapter)
    {
        ArgumentNullException.ThrowIfNull(name);
        int at = name.IndexOf(Separator, StringComparison.Ordinal);
        deployment = at < 0 ? name : name[..at];
        adapter = at < 0 ? string.Empty : name[(at + 1)..];
        return at >= 0;
    }

    /// <summary>True when <paramref name="name"/> is a configured deployment, or <c>deployment:adapter</c> of one of its adapters.</summary>
    public static bool Exists(ModelDeploymentOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!TrySplit(name, out string deployment, out string adapter))
        {
            return options.Deployments.ContainsKey(name);
        }

        return options.Deployments.TryGetValue(deployment, out DeploymentOptions? d) && Of(d).Any(a => a.Served == adapter);
    }

    /// <summary>The served adapter names of a deployment, for messages: "a, b" or "none".</summary>
    public static string Describe(IReadOnlyList<string>? adapters) =>
        adapters is null || adapters.Count == 0 ? "none" : string.Join(", ", adapters.Order(StringComparer.Ordinal));

    /// <summary>The RAM of a loaded adapter's A and B matrices (f32, as the CPU engine holds them).</summary>
    public static long EngineBytes(long parameters) => checked(parameters * sizeof(float));

    internal static string Key(string deploymentKey, string served) => string.Create(CultureInfo.InvariantCulture, $"{deploymentKey}:Adapters:{served}");
}
