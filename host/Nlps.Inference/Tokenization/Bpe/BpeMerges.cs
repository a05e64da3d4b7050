namespace Nlps.Inference.Tokenization.Bpe;

/// <summary>
/// Merge ranks keyed by the pair of ids they join. Rank is the merge's index in <c>merges</c>: lower merges first.
/// </summary>
internal sealed class BpeMerges
{
    private readonly Dictionary<long, long> _byPair;

    public BpeMerges(int capacity) => _byPair = new Dictionary<long, long>(capacity);

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
}
