namespace Nlps.Storage.Plugins;

/// <summary>The catalog already holds this version of this plugin; install a new version or remove the old one first.</summary>
public sealed class DuplicatePluginVersionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DuplicatePluginVersionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public DuplicatePluginVersionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DuplicatePluginVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a plugin id and version.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="version">The version that is already installed.</param>
    public DuplicatePluginVersionException(string pluginId, string version)
        : base($"plugin '{pluginId}' version '{version}' is already installed")
    {
        PluginId = pluginId;
        Version = version;
    }

    /// <summary>The plugin, when known.</summary>
    public string? PluginId { get; }

    /// <summary>The version already installed, when known.</summary>
    public string? Version { get; }
}
