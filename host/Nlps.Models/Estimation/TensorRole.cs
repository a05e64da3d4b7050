namespace Nlps.Models.Estimation;

/// <summary>How a tensor is stored under quantisation and split under tensor parallelism (Megatron-style, as vLLM does).</summary>
public enum TensorRole
{
    /// <summary>Q, K, V, gate, up: quantised; output rows split across ranks.</summary>
    ColumnLinear,

    /// <summary>O, down: quantised; input columns split across ranks.</summary>
    RowLinear,

    /// <summary>A linear layer that is never split (encoders): quantised.</summary>
    Linear,

    /// <summary>Bias of a column-parallel layer: 16-bit, split with it.</summary>
    ColumnBias,

    /// <summary>Token embedding and LM head: 16-bit, vocabulary rows split (padded to a multiple of 64).</summary>
    VocabEmbedding,

    /// <summary>Norms, other biases, position embeddings: 16-bit, a full copy on every rank.</summary>
    Replicated,
}
