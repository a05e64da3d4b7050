namespace Nlps.Plugins.Runtime;

/// <summary>Where a plugin stands. Every state but <see cref="Running"/> comes with a reason.</summary>
public enum PluginState
{
    /// <summary>On disk and in the catalogue, not started (yet).</summary>
    Installed,

    /// <summary>Loaded, initialised and serving its operations.</summary>
    Running,

    /// <summary>Switched off by an administrator.</summary>
    Disabled,

    /// <summary>Failed to load, initialise or keep running; the reason says why.</summary>
    Faulted,
}
