namespace Nlps.Inference.Models.Llama;

/// <summary>inv_freq_i = θ^(−2i/d) for i &lt; d/2, adjusted by the model's <see cref="RopeScaling"/> (HF <c>_compute_llama3_parameters</c>).</summary>
internal static class RopeFrequencies
{
    public static double[] Compute(int headDim, double theta, RopeScaling? scaling, IReadOnlyList<float>? factors = null)
    {
        int half = headDim / 2;
        var inverse = new double[half];
        for (int i = 0; i < half; i++)
        {
            inverse[i] = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
        }

        switch (scaling?.Type)
        {
            case null or "default":
                break;
            case "linear":
                for (int i = 0; i < half; i++)
                {
                    inverse[i] /= scaling.Factor;
                }

                break;
            case "llama3":
                double lowWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFrequencyFactor;
                double highWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFrequencyFactor;
                for (int i = 0; i < half; i++)
                {
                    double wavelength = 2 * Math.PI / inverse[i];
                    if (wavelength > lowWavelength)
                    {
                        inverse[i] /= scaling.Factor;
                    }
                    else if (wavelength >= highWavelength)
                    {
                        double smooth = ((scaling.OriginalMaxPositionEmbeddings / wavelength) - scaling.LowFrequencyFactor)
                            / (scaling.HighFrequencyFactor - scaling.LowFrequencyFactor);
                        inverse[i] = ((1 - smooth) * inverse[i] / scaling.Factor) + (smooth * inverse[i]);
                    }
                }

                break;
            default:
                throw new ModelConfigException($"rope_scaling type '{scaling.Type}' is not supported (llama3, linear, default)");
        }

        for (int i = 0; factors is not null && i < half; i++)
        {
            inverse[i] /= factors[i];
        }

        return inverse;
    }
}
