using System.ComponentModel.DataAnnotations;

namespace Nlps.Plugins.Management;

/// <summary>Where plugins live and how they are started and stopped. Bound from the <c>Plugins</c> section.</summary>
public sealed class PluginHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Plugins";

    /// <summary>Installed plugin versions: <c>{PluginsDirectory}/{id}/{version}/</c>. Set by the host from the state folder.</summary>
    public string PluginsDirectory { get; set; } = string.Empty;

    /// <summary>Where uploads are checked before they are moved into place; on the same file system as <see cref="PluginsDirectory"/>.</summary>
    public string StagingDirectory { get; set; } = string.Empty;

    /// <summary>Agents' data folders: <c>{DataDirectory}/{id}/</c>; kept across upgrades and uninstalls unless purged.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>A folder of <c>.nlpkg</c> files that ship with the appliance (the first-party agents). At start each one
    /// whose version is not installed yet is installed like an upload; an administrator disables, rather than
    /// uninstalls, a bundled agent that is not wanted. Empty: none.</summary>
    public string BundledDirectory { get; set; } = string.Empty;

    /// <summary>PEM files of the public keys whose signatures the appliance trusts.</summary>
    public IList<string> TrustedKeyFiles { get; } = [];

    /// <summary>Developer mode: accept unsigned packages (each one is logged as a warning). Default false.</summary>
    public bool AllowUnsigned { get; set; }

    /// <summary>The largest package upload accepted, in bytes. Default 256 MiB.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxPackageBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long an agent's <c>InitializeAsync</c> may take. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long calls in flight may take to finish when an agent is stopped. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
