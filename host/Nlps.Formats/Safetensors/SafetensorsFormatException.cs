namespace Nlps.Formats.Safetensors;

/// <summary>A safetensors file or index is malformed or inconsistent; the message names the file and, where one is at fault, the tensor.</summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException()
    {
    }

    public SafetensorsFormatException(string message)
        : base(message)
    {
    }

    public SafetensorsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
