namespace Nlps.Inference.Tensors;

/// <summary>The element type of a weight matrix as held in memory.</summary>
internal enum ElementType
{
    F32,
    BF16,
}
