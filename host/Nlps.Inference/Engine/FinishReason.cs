namespace Nlps.Inference.Engine;

/// <summary>Why a generation ended.</summary>
public enum FinishReason
{
    /// <summary>The model produced a stop token, or the text reached a stop string.</summary>
    Stop,

    /// <summary>The token limit or the end of the context window was reached.</summary>
    Length,
}
