namespace Nlps.Inference.Models;

/// <summary>A checkpoint tensor's element type (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K, or the file's own name for anything else) and row-major shape, outermost first.</summary>
internal sealed record TensorDescription(string Dtype, long[] Shape);
