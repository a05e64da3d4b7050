using System.Text.RegularExpressions;

namespace Nlps.Sdk.Manifest;

/// <summary>Checks the fields of a manifest that the appliance relies on before any plugin code runs.</summary>
public static partial class ManifestValidator
{
    /// <summary>Throws <see cref="InvalidManifestException"/> naming the first field that is not acceptable.</summary>
    /// <param name="manifest">The manifest to check.</param>
    public static void Validate(PluginManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (string.IsNullOrEmpty(manifest.Id) || manifest.Id.Length > 64 || !IdPattern().IsMatch(manifest.Id))
        {
            throw new InvalidManifestException($"id '{manifest.Id}' is not valid: use 1-64 lower-case letters, digits, '.', '-', starting with a letter.");
        }

        if (!SemanticVersion.TryParse(manifest.Version, out _))
        {
            throw new InvalidManifestException($"version '{manifest.Version}' is not a SemVer 2 version (e.g. 1.2.0).");
        }

        if (!SemanticVersion.TryParse(manifest.SdkVersion, out _))
        {
            throw new InvalidManifestException($"sdkVersion '{manifest.SdkVersion}' is not a SemVer 2 version.");
        }

        if (string.IsNullOrWhiteSpace(manifest.EntryAssembly)
            || manifest.EntryAssembly.Contains('/', StringComparison.Ordinal)
            || manifest.EntryAssembly.Contains('\\', StringComparison.Ordinal)
            || !manifest.EntryAssembly.EndsWith(".dll", StringComparison.Ordinal))
        {
            throw new InvalidManifestException($"entryAssembly '{manifest.EntryAssembly}' must be a file name ending in .dll.");
        }

        if (string.IsNullOrWhiteSpace(manifest.EntryType))
        {
            throw new InvalidManifestException("entryType is required.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in manifest.Operations ?? [])
        {
            if (operation is null || string.IsNullOrEmpty(operation.Name) || operation.Name.Length > 64 || !OperationPattern().IsMatch(operation.Name))
            {
                throw new InvalidManifestException($"operation name '{operation?.Name}' is not valid: use 1-64 lower-case letters, digits, '-', '_'.");
            }

            if (!seen.Add(operation.Name))
            {
                throw new InvalidManifestException($"operation '{operation.Name}' is listed twice.");
            }
        }

        foreach (var (role, requirement) in manifest.Models ?? new Dictionary<string, ModelRequirement>())
        {
            if (!OperationPattern().IsMatch(role) || requirement is null)
            {
                throw new InvalidManifestException($"model role '{role}' is not valid.");
            }

            // The JSON enum converter also accepts numbers, so "kind": 7 would otherwise get through.
            if (!Enum.IsDefined(requirement.Kind))
            {
                throw new InvalidManifestException($"model role '{role}' has kind {(int)requirement.Kind}; use one of {string.Join(", ", Enum.GetNames<ModelKind>())}.");
            }
        }
    }

    // \z, not $: '$' also matches before a final '\n', which would let "acme\n" through as an id.
    [GeneratedRegex("^[a-z][a-z0-9.-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex OperationPattern();
}
