namespace Nlps.Inference.Embeddings;

/// <summary>What happens to an input longer than the encoder's position limit.</summary>
public enum TruncationPolicy
{
    /// <summary>Refused with <see cref="Engine.ContextLengthExceededException"/> naming the input and both counts.</summary>
    Refuse,

    /// <summary>Text tokens past the limit are dropped; the special tokens around them ([CLS]…[SEP], &lt;s&gt;…&lt;/s&gt;) stay.</summary>
    Truncate,
}
