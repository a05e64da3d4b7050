namespace Nlps.Inference.Models;

/// <summary>
/// Checkpoint tensors by their Hugging Face names (<c>model.layers.0.self_attn.q_proj.weight</c>), whatever file
/// holds them: a safetensors folder or a GGUF file (whose own names and row order the source translates).
/// </summary>
internal interface IWeightSource
{
    /// <summary>The file or folder named in error messages.</summary>
    string Origin { get; }

    bool Contains(string name);

    /// <summary>Type and shape; a missing tensor throws naming it.</summary>
    TensorDescription Describe(string name);

    /// <summary>The raw little-endian bytes, row-major; valid until the source is disposed.</summary>
    ReadOnlySpan<byte> Bytes(string name);

    /// <summary>Destination row r takes stored row RowOrder(r), or the identity when null (GGUF's permuted q/k rows).</summary>
    Func<int, int>? RowOrder(string name);
}
