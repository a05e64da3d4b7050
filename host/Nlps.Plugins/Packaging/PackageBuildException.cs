namespace Nlps.Plugins.Packaging;

/// <summary>A package could not be built from the given folder and manifest; the message says why.</summary>
public sealed class PackageBuildException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public PackageBuildException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error behind it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public PackageBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
