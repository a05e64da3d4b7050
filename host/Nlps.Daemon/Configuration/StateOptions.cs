namespace Nlps.Daemon.Configuration;

/// <summary>Where the appliance keeps its state. Bound from the <c>State</c> section.</summary>
public sealed class StateOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "State";

    /// <summary>The state folder: database, plugins, agent data, admin token. Default <c>.nlps</c> under the working
    /// folder (a developer run); the packaged <c>/etc/nlps/nlps.json</c> sets <c>/var/lib/nlps</c>.</summary>
    public string Directory { get; set; } = ".nlps";

    /// <summary>The absolute state folder.</summary>
    public string FullPath => Path.GetFullPath(Directory);

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.Combine(FullPath, "nlps.db");
}
