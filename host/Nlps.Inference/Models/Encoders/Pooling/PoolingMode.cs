namespace Nlps.Inference.Models.Encoders.Pooling;

/// <summary>How token vectors become one sentence vector (sentence-transformers' <c>pooling_mode_*</c>).</summary>
public enum PoolingMode
{
    /// <summary>The first token's vector ([CLS] / &lt;s&gt;): bge, DPR.</summary>
    Cls,

    /// <summary>The mean over the sequence's tokens: multilingual-e5, most sentence-transformers models.</summary>
    Mean,

    /// <summary>The element-wise maximum over the tokens.</summary>
    Max,

    /// <summary>The last token's vector.</summary>
    LastToken,
}
