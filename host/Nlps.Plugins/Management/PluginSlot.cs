using System.Text;
using Nlps.Plugins.Runtime;
using Nlps.Sdk.Manifest;
using Nlps.Storage.Plugins;

namespace Nlps.Plugins.Management;

/// <summary>The live state of one installed plugin: its active version, state and (when running) agent.</summary>
internal sealed class PluginSlot
{
    private volatile ActiveAgent? agent;

    private PluginSlot(PluginRecord record, PluginVersionRecord version, PluginManifest manifest)
    {
        Id = record.Id;
        Enabled = record.Enabled;
        Version = version.Version;
        Path = version.Path;
        Manifest = manifest;
        Versions = record.Versions
            .Select(v => new InstalledVersion(v.Version, v.InstalledAt, v.Version == version.Version, v.SignerKeyId))
            .ToList();
        State = record.Enabled ? PluginState.Installed : PluginState.Disabled;
        Reason = record.Enabled ? "not started yet" : "disabled by an administrator";
    }

    public string Id { get; }

    public string Version { get; }

    public string Path { get; }

    public PluginManifest Manifest { get; }

    public IReadOnlyList<InstalledVersion> Versions { get; }

    public bool Enabled { get; set; }

    public PluginState State { get; private set; }

    public string Reason { get; private set; }

    public ActiveAgent? Agent
    {
        get => agent;
        set => agent = value;
    }

    public static PluginSlot From(PluginRecord record, PluginVersionRecord version) =>
        new(record, version, ManifestJson.Parse(Encoding.UTF8.GetBytes(version.ManifestJson)));

    public void SetState(PluginState state, string reason)
    {
        State = state;
        Reason = reason;
    }

    public PluginStatus ToStatus() =>
        new(Id, Manifest.Name, Manifest.Description, Version, State, Reason, Enabled, Manifest.Operations, Versions);
}
