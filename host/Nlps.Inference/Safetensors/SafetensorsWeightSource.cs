using Nlps.Formats.Safetensors;
using Nlps.Inference.Models;

namespace Nlps.Inference.Safetensors;

/// <summary>A safetensors checkpoint seen as an <see cref="IWeightSource"/>: names, dtypes and row order are already Hugging Face's.</summary>
internal sealed class SafetensorsWeightSource(SafetensorsCheckpoint checkpoint) : IWeightSource
{
    public string Origin => checkpoint.Folder;

    public bool Contains(string name) => checkpoint.Contains(name);

    public TensorDescription Describe(string name)
    {
        SafetensorsTensor tensor = checkpoint.Describe(name);
        return new TensorDescription(tensor.Dtype, [.. tensor.Shape]);
    }

    public ReadOnlySpan<byte> Bytes(string name) => checkpoint.Bytes(name);

    public Func<int, int>? RowOrder(string name) => null;
}
