using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)), as BERT and XLM-R use (<c>hidden_act: "gelu"</c>), not the tanh form.
/// erf is Abramowitz–Stegun 7.1.26 (absolute error ≤ 1.5·10⁻⁷), vectorised with 512-bit exp.
/// </summary>
internal static unsafe class Gelu
{
    private const float P = 0.3275911f;
    private const float A1 = 0.254829592f;
    private const float A2 = -0.284496736f;
    private const float A3 = 1.421413741f;
    private const float A4 = -1.453152027f;
    private const float A5 = 1.061405429f;
    private const float InvSqrt2 = 0.70710678118654752f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(float* x, int n)
    {
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Vector512<float> v = Vector512.Load(x + i);
            Vector512<float> z = Vector512.Abs(v) * InvSqrt2;
            Vector512<float> t = Vector512<float>.One / (Vector512<float>.One + (z * P));
            Vector512<float> poly = Vector512.FusedMultiplyAdd(Vector512.Create(A5), t, Vector512.Create(A4));
            poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A3));
            poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A2));
            poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A1)) * t;
            Vector512<float> erfAbs = Vector512<float>.One - (poly * Vector512.Exp(-(z * z)));
            Vector512<float> erf = Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), -erfAbs, erfAbs);
            (0.5f * v * (Vector512<float>.One + erf)).Store(x + i);
        }

        for (; i < n; i++)
        {
            float v = x[i];
            float z = MathF.Abs(v) * InvSqrt2;
            float t = 1f / (1f + (P * z));
            float erfAbs = 1f - (t * (A1 + (t * (A2 + (t * (A3 + (t * (A4 + (t * A5))))))))) * MathF.Exp(-z * z);
            x[i] = 0.5f * v * (1f + (v < 0 ? -erfAbs : erfAbs));
        }
    }
}
