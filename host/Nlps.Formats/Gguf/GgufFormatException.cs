namespace Nlps.Formats.Gguf;

/// <summary>A GGUF file is malformed, inconsistent or uses something this reader does not know; the message names the file and the key or tensor at fault.</summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException()
    {
    }

    public GgufFormatException(string message)
        : base(message)
    {
    }

    public GgufFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
