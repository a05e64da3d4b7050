using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Nlps.Sdk.Storage;

namespace Nlps.Storage.Vectors;

/// <summary>How a vector is stored in <c>vec_items.data</c>: float32 little-endian, or int8 with a symmetric per-vector scale.</summary>
internal static class VectorCodec
{
    public static (float Scale, byte[] Data) Encode(ReadOnlySpan<float> vector, VectorQuantization quantization)
    {
        if (quantization == VectorQuantization.None)
        {
            return (1f, MemoryMarshal.AsBytes(vector).ToArray());
        }

        var maxAbs = TensorPrimitives.MaxMagnitude(vector);
        var scale = maxAbs == 0 ? 1f : MathF.Abs(maxAbs) / 127f;
        var data = new byte[vector.Length];
        var signed = MemoryMarshal.Cast<byte, sbyte>(data.AsSpan());
        for (var i = 0; i < vector.Length; i++)
        {
            signed[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] / scale), -127f, 127f);
        }

        return (scale, data);
    }

    public static void Validate(ReadOnlySpan<float> vector, int dimensions, string what)
    {
        if (vector.Length != dimensions)
        {
            throw new ArgumentException($"{what} has {vector.Length} dimensions; the collection has {dimensions}");
        }

        foreach (var value in vector)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException($"{what} contains a non-finite value ({value})");
            }
        }
    }

    public static string Name(VectorQuantization quantization) => quantization switch
    {
        VectorQuantization.None => "f32",
        VectorQuantization.Int8 => "int8",
        _ => throw new ArgumentOutOfRangeException(nameof(quantization), quantization, "unknown quantization"),
    };

    public static VectorQuantization Parse(string name) => name switch
    {
        "f32" => VectorQuantization.None,
        "int8" => VectorQuantization.Int8,
        _ => throw new InvalidDataException($"unknown quantization '{name}' in vec_collections"),
    };
}
