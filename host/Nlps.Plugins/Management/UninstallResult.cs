namespace Nlps.Plugins.Management;

/// <summary>The outcome of an uninstall.</summary>
/// <param name="PluginId">The plugin id.</param>
/// <param name="Purged">Whether its data was deleted too.</param>
/// <param name="ContextCollected">Whether the unloaded load context was garbage-collected (false means a leak until restart).</param>
public sealed record UninstallResult(string PluginId, bool Purged, bool ContextCollected);
