namespace Nlps.Sdk.Manifest;

/// <summary>Thrown when <c>plugin.json</c> is missing a field, malformed, or has a value out of range.</summary>
public sealed class InvalidManifestException : Exception
{
    /// <summary>Creates the exception with a message that names the field and the problem.</summary>
    /// <param name="message">What is wrong.</param>
    public InvalidManifestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the parser error behind it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public InvalidManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
