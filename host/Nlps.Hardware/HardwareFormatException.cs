namespace Nlps.Hardware;

/// <summary>A hardware source produced output this parser does not understand; the message names the source and the line.</summary>
public sealed class HardwareFormatException : Exception
{
    public HardwareFormatException()
    {
    }

    public HardwareFormatException(string message)
        : base(message)
    {
    }

    public HardwareFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
