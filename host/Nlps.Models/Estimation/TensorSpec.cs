namespace Nlps.Models.Estimation;

/// <summary>
/// A tensor (or <paramref name="Count"/> identical ones, one per layer) as [Rows, Cols]: for a linear layer Rows is the
/// output width and Cols the input width, as in PyTorch's weight layout; a vector has Cols = 1.
/// </summary>
public sealed record TensorSpec(string Name, long Rows, long Cols, TensorRole Role, int Count = 1)
{
    public long Elements => checked(Rows * Cols * Count);

    public bool IsLinear => Role is TensorRole.ColumnLinear or TensorRole.RowLinear or TensorRole.Linear;
}
