namespace Nlps.Inference.Engine;

/// <summary>A prompt leaves no room in the model's context window; both counts are in the message and the properties.</summary>
public sealed class ContextLengthExceededException : Exception
{
    public ContextLengthExceededException()
    {
    }

    public ContextLengthExceededException(string message)
        : base(message)
    {
    }

    public ContextLengthExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ContextLengthExceededException(int promptTokens, int maxContextTokens)
        : base($"the prompt has {promptTokens} tokens; the context window holds {maxContextTokens}, which leaves no room to generate")
    {
        PromptTokens = promptTokens;
        MaxContextTokens = maxContextTokens;
    }

    public int PromptTokens { get; }

    public int MaxContextTokens { get; }
}
