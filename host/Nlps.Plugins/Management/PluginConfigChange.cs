using Nlps.Plugins.Configuration;

namespace Nlps.Plugins.Management;

/// <summary>The outcome of saving a plugin's configuration: the schema errors (nothing saved), or the plugin's status after its restart.</summary>
/// <param name="Errors">Every schema error; empty when the configuration was saved.</param>
/// <param name="Status">The plugin after the restart with the new configuration, or null when refused.</param>
public sealed record PluginConfigChange(IReadOnlyList<ConfigError> Errors, PluginStatus? Status);
