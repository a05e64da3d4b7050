namespace Nlps.Inference.Kernels;

/// <summary>
/// Rotary position embedding in Hugging Face's half-split layout: within each head of <c>headDim</c> floats, element i
/// pairs with element i + headDim/2 (<c>rotate_half</c>), not with its neighbour (that is GGUF's permuted layout).
/// Angles are pos·inv_freq computed in double per position, never accumulated.
/// </summary>
internal static class Rope
{
    /// <summary>Fills cos/sin (each headDim/2 long) for <paramref name="position"/>.</summary>
    public static void Angles(ReadOnlySpan<double> inverseFrequencies, int position, Span<float> cos, Span<float> sin)
    {
        for (int i = 0; i < inverseFrequencies.Length; i++)
        {
            double angle = position * inverseFrequencies[i];
            cos[i] = (float)Math.Cos(angle);
            sin[i] = (float)Math.Sin(angle);
        }
    }

    /// <summary>Rotates <paramref name="heads"/> consecutive heads of <paramref name="x"/> in place.</summary>
    public static void Apply(Span<float> x, int heads, int headDim, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
        {
            Span<float> head = x.Slice(h * headDim, headDim);
            for (int i = 0; i < half; i++)
            {
                float a = head[i];
                float b = head[i + half];
                head[i] = (a * cos[i]) - (b * sin[i]);
                head[i + half] = (b * cos[i]) + (a * sin[i]);
            }
        }
    }
}
