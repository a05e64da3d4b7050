using Nlps.Plugins.Runtime;
using Nlps.Sdk.Manifest;

namespace Nlps.Plugins.Management;

/// <summary>What the appliance reports about one installed plugin.</summary>
/// <param name="Id">The plugin id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Description">Its description.</param>
/// <param name="Version">The active version.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Reason">Why it is not running (empty when it is).</param>
/// <param name="Enabled">Whether an administrator has it switched on.</param>
/// <param name="Operations">The operations of the active version.</param>
/// <param name="Versions">Every installed version, oldest first.</param>
public sealed record PluginStatus(
    string Id,
    string? Name,
    string? Description,
    string Version,
    PluginState State,
    string Reason,
    bool Enabled,
    IReadOnlyList<OperationDescriptor> Operations,
    IReadOnlyList<InstalledVersion> Versions);

/// <summary>One installed version of a plugin.</summary>
/// <param name="Version">The version.</param>
/// <param name="InstalledAt">When it was installed.</param>
/// <param name="Active">Whether it is the active version.</param>
/// <param name="SignerKeyId">The key that signed its package, or null for an unsigned developer package.</param>
public sealed record InstalledVersion(string Version, DateTimeOffset InstalledAt, bool Active, string? SignerKeyId);
