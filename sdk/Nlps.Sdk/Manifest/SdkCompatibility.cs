using System.Reflection;

namespace Nlps.Sdk.Manifest;

/// <summary>Which plugins a host can load: same SDK major, and a minor no newer than the host's.</summary>
public static class SdkCompatibility
{
    /// <summary>The version of this SDK, as the host that carries it offers it to plugins.</summary>
    public static SemanticVersion Current { get; } = SemanticVersion.Parse(
        typeof(SdkCompatibility).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "1.0.0");

    /// <summary>Checks a plugin built against <paramref name="pluginSdk"/> against a host offering <paramref name="hostSdk"/>.</summary>
    /// <param name="pluginSdk">The SDK version the plugin was compiled against.</param>
    /// <param name="hostSdk">The SDK version the host carries.</param>
    /// <param name="reason">Why the plugin cannot load, when the method returns false.</param>
    public static bool IsCompatible(SemanticVersion pluginSdk, SemanticVersion hostSdk, out string reason)
    {
        ArgumentNullException.ThrowIfNull(pluginSdk);
        ArgumentNullException.ThrowIfNull(hostSdk);
        if (pluginSdk.Major != hostSdk.Major)
        {
            reason = $"plugin needs SDK {pluginSdk} (major {pluginSdk.Major}); this appliance offers SDK {hostSdk} (major {hostSdk.Major})";
            return false;
        }

        // Patch releases add no API, so only the minor version raises the floor.
        if (pluginSdk.Minor > hostSdk.Minor)
        {
            reason = $"plugin needs SDK {pluginSdk}, newer than this appliance's SDK {hostSdk}; upgrade the appliance";
            return false;
        }

        reason = string.Empty;
        return true;
    }
}
