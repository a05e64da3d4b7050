namespace Nlps.Inference.Kernels;

/// <summary>
/// Work that <see cref="KernelPool"/> splits into index ranges. Implementations are reusable objects whose inputs are
/// set before each run, so a decode step allocates nothing.
/// </summary>
internal interface IParallelWork
{
    /// <summary>Does items [start, end); <paramref name="participant"/> (0 = the calling thread) selects per-thread scratch.</summary>
    void Execute(int start, int end, int participant);
}
