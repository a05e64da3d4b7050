namespace Nlps.Inference.Models;

/// <summary>A model folder's config.json (or its weights) cannot be run by this engine; the message names the file and key.</summary>
public sealed class ModelConfigException : Exception
{
    public ModelConfigException()
    {
    }

    public ModelConfigException(string message)
        : base(message)
    {
    }

    public ModelConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
