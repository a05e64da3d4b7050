namespace Nlps.Inference.Tokenization.Bpe;

/// <summary>
/// Merge ranks keyed by the pair of ids they join. Rank is the merge's index in <c>merges</c>: lower merges first.
/// </summary>
internal sealed class BpeMerges
{
    private readonly Dictionary<long, long> _byPair;

    public BpeMerges(int capacity) => _byPair = new Dictionary<long, long>(capacity, PairComparer.Instance);

    public int Count => _byPair.Count;

    /// <summary>Adds a merge; a pair seen before keeps its first (lowest) rank, as Hugging Face does.</summary>
    public void Add(int left, int right, int rank, int mergedId) =>
        _byPair.TryAdd(Key(left, right), ((long)rank << 32) | (uint)mergedId);

    /// <summary>Finds the merge of <paramref name="left"/> followed by <paramref name="right"/>.</summary>
    public bool TryGet(int left, int right, out int rank, out int mergedId)
    {
        if (_byPair.TryGetValue(Key(left, right), out var packed))
        {
            rank = (int)(packed >> 32);
            mergedId = (int)(uint)packed;
            return true;
        }

        rank = 0;
        mergedId = 0;
        return false;
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>
    /// <see cref="long.GetHashCode"/> is left ^ right for a packed pair, so ids below 2^17 collide massively
    /// (and a+b collides with b+a); Fibonacci hashing spreads the pairs.
    /// </summary>
    private sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)(((ulong)obj * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
