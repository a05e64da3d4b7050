namespace Nlps.Storage.Plugins;

/// <summary>An installed plugin and its versions.</summary>
/// <param name="Id">The plugin's id.</param>
/// <param name="ActiveVersion">The version that runs, or null when none is active.</param>
/// <param name="Enabled">Whether the operator lets it run.</param>
/// <param name="UpdatedAt">When this plugin's row last changed (UTC).</param>
/// <param name="Versions">Its installed versions, oldest install first.</param>
public sealed record PluginRecord(
    string Id,
    string? ActiveVersion,
    bool Enabled,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<PluginVersionRecord> Versions);
