using System.Text.Json;
using Nlps.Storage.Settings;

namespace Nlps.Plugins.Configuration;

/// <summary>
/// Configuration an administrator saved for a plugin through the admin API, kept in the state database's settings.
/// When present it replaces the plugin's <c>Agents:{id}</c> section of <c>nlps.json</c> as a whole.
/// </summary>
public sealed class PluginConfigStore(SettingsStore settings)
{
    /// <summary>The saved configuration of <paramref name="pluginId"/>, or null when none was saved.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<JsonElement?> GetAsync(string pluginId, CancellationToken cancellationToken)
    {
        var text = await settings.GetAsync(Key(pluginId), cancellationToken).ConfigureAwait(false);
        return text is null ? null : JsonElement.Parse(text);
    }

    /// <summary>Saves <paramref name="configuration"/> for <paramref name="pluginId"/>, replacing what was saved before.</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="configuration">The configuration (already checked against the plugin's schema).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SetAsync(string pluginId, JsonElement configuration, CancellationToken cancellationToken) =>
        settings.SetAsync(Key(pluginId), configuration.GetRawText(), cancellationToken);

    /// <summary>Forgets the saved configuration of <paramref name="pluginId"/> (an uninstall with purge).</summary>
    /// <param name="pluginId">The plugin id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task DeleteAsync(string pluginId, CancellationToken cancellationToken) =>
        settings.DeleteAsync(Key(pluginId), cancellationToken);

    private static string Key(string pluginId) => "plugin-config:" + pluginId;
}
