using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Eight blocks' int32 partial sums (one vector of 8 per block) gathered into one vector of the eight block totals by
/// a horizontal-add tree, so a row's per-block scaling takes one convert and one FMA per eight blocks instead of a
/// convert, a scalar multiply, a broadcast and an FMA per block.
/// </summary>
internal static class BlockSums
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Gather(Vector256<int> d0, Vector256<int> d1, Vector256<int> d2, Vector256<int> d3, Vector256<int> d4, Vector256<int> d5, Vector256<int> d6, Vector256<int> d7)
    {
        // Per 128-bit half: [d0, d1, d2, d3] sums of that half, then the halves of both groups added across.
        Vector256<int> g0 = Avx2.HorizontalAdd(Avx2.HorizontalAdd(d0, d1), Avx2.HorizontalAdd(d2, d3));
        Vector256<int> g1 = Avx2.HorizontalAdd(Avx2.HorizontalAdd(d4, d5), Avx2.HorizontalAdd(d6, d7));
        return Avx2.Permute2x128(g0, g1, 0x20) + Avx2.Permute2x128(g0, g1, 0x31);
    }
}
