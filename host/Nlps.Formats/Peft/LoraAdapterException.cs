namespace Nlps.Formats.Peft;

/// <summary>A PEFT LoRA adapter is malformed or does not fit its base model; the message names the file or tensor and why.</summary>
public sealed class LoraAdapterException : Exception
{
    public LoraAdapterException()
    {
    }

    public LoraAdapterException(string message)
        : base(message)
    {
    }

    public LoraAdapterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
