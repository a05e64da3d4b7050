namespace Nlps.Plugins.Runtime;

/// <summary>A plugin could not be started; the message is the reason shown to administrators.</summary>
public sealed class PluginStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The reason.</param>
    /// <param name="innerException">The plugin's own exception, if any.</param>
    public PluginStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
