namespace Nlps.Models;

/// <summary>A model file (config.json, a safetensors header, an index) is malformed or inconsistent; the message names the file and the key.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException()
    {
    }

    public ModelFormatException(string message)
        : base(message)
    {
    }

    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
