using Nlps.Inference.Kernels;
using Nlps.Inference.Tensors;

namespace Nlps.Inference.Models;

/// <summary>
/// Reads weights out of a checkpoint (safetensors or GGUF, through <see cref="IWeightSource"/>) into the engine's
/// layouts, checking each tensor's dtype and its shape against what the model config implies; a mismatch names the tensor.
/// </summary>
internal sealed class CheckpointReader(IWeightSource checkpoint, WeightFormat format)
{
    public WeightMatrix Matrix(string[] names, int rows, int cols) => Matrix(names, [rows], cols);

    public WeightMatrix Matrix(string[] names, int[] rows, int cols)
    {
        ElementType type = WeightLayouts.Of(format, checkpoint.Describe(names[0]).Dtype);
        for (int i = 0; i < names.Length; i++)
        {
            Check(names[i], [rows[i], cols]);
        }

        if (type is not (ElementType.F32 or ElementType.BF16) && cols % QuantizedDot.Block != 0)
        {
            throw new ModelConfigException($"{checkpoint.Origin}: tensor '{names[0]}' has {cols} columns; {type} weights need a multiple of {QuantizedDot.Block} (use f32 or bf16)");
        }

        var matrix = new WeightMatrix(rows.Sum(), cols, type);
        int at = 0;
        for (int i = 0; i < names.Length; i++)
        {
            matrix.CopyRows(at, rows[i], checkpoint.Bytes(names[i]), checkpoint.Describe(names[i]).Dtype, names[i], checkpoint.RowOrder(names[i]));
            at += rows[i];
        }

        return matrix;
    }

    public float[] Vector(string name, int length)
    {
        Check(name, [length]);
        var result = new float[length];
        GgmlBlocks.ToSingle(checkpoint.Bytes(name), checkpoint.Describe(name).Dtype, result);
        return result;
    }

    /// <summary>Stacked biases of a fused projection, or null when the checkpoint has none (zeros stand in for a missing part).</summary>
    public float[]? OptionalBiases(string[] names, int[] lengths)
    {
        if (!names.Any(checkpoint.Contains))
        {
            return null;
        }

        var result = new float[lengths.Sum()];
        int at = 0;
        for (int i = 0; i < names.Length; i++)
        {
            if (checkpoint.Contains(names[i]))
            {
                Vector(names[i], lengths[i]).CopyTo(result, at);
            }

            at += lengths[i];
        }

        return result;
    }

    /// <summary>Refuses tensors the model would ignore (e.g. MLP biases of a decoder without them), naming <paramref name="model"/>.</summary>
    public void RefuseBiases(string model, params string[] names)
    {
        foreach (string name in names.Where(checkpoint.Contains))
        {
            throw new ModelConfigException($"{checkpoint.Origin}: tensor '{name}' (MLP bias) is not supported by the {model}");
        }
    }

    private void Check(string name, long[] shape)
    {
        TensorDescription tensor = checkpoint.Describe(name);
        if (!GgmlBlocks.IsSupported(tensor.Dtype))
        {
            throw new ModelConfigException($"{checkpoint.Origin}: tensor '{name}' has dtype {tensor.Dtype}; weights must be one of {GgmlBlocks.SupportedNames}");
        }

        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new ModelConfigException(
                $"{checkpoint.Origin}: tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}] but the model config implies [{string.Join(", ", shape)}]");
        }
    }
}
