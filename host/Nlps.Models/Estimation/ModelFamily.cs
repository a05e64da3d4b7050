namespace Nlps.Models.Estimation;

public enum ModelFamily
{
    /// <summary>Llama, Qwen2, Mistral: a KV cache per generated and prompt token.</summary>
    Decoder,

    /// <summary>BERT, XLM-RoBERTa: no KV cache.</summary>
    Encoder,

    /// <summary>BART: decoder self-attention plus cross-attention over the source.</summary>
    Seq2Seq,
}
