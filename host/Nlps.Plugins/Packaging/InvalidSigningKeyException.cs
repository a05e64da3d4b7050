namespace Nlps.Plugins.Packaging;

/// <summary>A signing or trusted key could not be used: the text is not PEM, the PEM does not hold an ECDSA key, or the
/// key is not on the P-256 curve.</summary>
public sealed class InvalidSigningKeyException : Exception
{
    /// <summary>Creates the exception with a message naming the key and the problem.</summary>
    /// <param name="message">What is wrong.</param>
    public InvalidSigningKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error behind it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public InvalidSigningKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
