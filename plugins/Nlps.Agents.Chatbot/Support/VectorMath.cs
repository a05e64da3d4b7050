using System.Numerics.Tensors;

namespace Nlps.Agents.Chatbot.Support;

internal static class VectorMath
{
    /// <summary>A unit-length copy, so the store's dot product is the cosine similarity.</summary>
    public static float[] Normalized(ReadOnlyMemory<float> vector)
    {
        var copy = vector.ToArray();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }
}
