using System.Text.Json;

namespace Nlps.Plugins.Management;

/// <summary>A plugin's configuration as the console edits it.</summary>
/// <param name="PluginId">The plugin id.</param>
/// <param name="Schema">The active version's <c>configSchema</c>, or null when it declares none (then it cannot be edited here).</param>
/// <param name="Config">The configuration the agent starts with.</param>
/// <param name="Source"><c>saved</c> (set through the admin API) or <c>file</c> (the <c>Agents:{id}</c> section of nlps.json, empty when absent).</param>
public sealed record PluginConfigView(string PluginId, JsonElement? Schema, JsonElement Config, string Source);
