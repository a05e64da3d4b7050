namespace Nlps.Inference.Tokenization.Bpe;

/// <summary>
/// Per-thread scratch space for merging one word, reused so that encoding allocates nothing once warm.
/// Symbols are a doubly linked list laid out in parallel arrays indexed by the symbol's starting position.
/// </summary>
internal sealed class BpeWorkspace
{
    [ThreadStatic]
    private static BpeWorkspace? t_current;

    public int[] Ids = new int[64];
    public int[] Prev = new int[64];
    public int[] Next = new int[64];
    public bool[] Removed = new bool[64];

    /// <summary>Candidate merges: element is the left symbol's position, priority is (rank &lt;&lt; 32) | position.</summary>
    public readonly PriorityQueue<int, long> Queue = new();

    public static BpeWorkspace Current => t_current ??= new BpeWorkspace();

    public void EnsureCapacity(int symbols)
    {
        if (Ids.Length >= symbols)
        {
            return;
        }

        var size = Math.Max(symbols, Ids.Length * 2);
        Ids = new int[size];
        Prev = new int[size];
        Next = new int[size];
        Removed = new bool[size];
    }
}
