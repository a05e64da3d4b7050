namespace Nlps.Api.Admin;

/// <summary><c>GET /v1/admin/status</c>: what this appliance is and how it is doing.</summary>
/// <param name="Version">The nlpsd version.</param>
/// <param name="SdkVersion">The agent SDK version it offers plugins.</param>
/// <param name="StartedAt">When this process started.</param>
/// <param name="StateDirectory">The state folder.</param>
/// <param name="PluginsRunning">Running plugins.</param>
/// <param name="PluginsFaulted">Faulted plugins.</param>
/// <param name="PluginsTotal">Installed plugins.</param>
public sealed record ApplianceStatus(
    string Version,
    string SdkVersion,
    DateTimeOffset StartedAt,
    string StateDirectory,
    int PluginsRunning,
    int PluginsFaulted,
    int PluginsTotal);
