namespace Nlps.Agents.Text.Matching;

/// <summary>
/// An Aho-Corasick automaton over UTF-16 code units: every occurrence of every pattern in one pass over the text,
/// O(text + occurrences) after O(total pattern length) construction. Patterns are compared as given (callers fold case
/// and normalise first). Immutable after construction, so one instance serves concurrent readers.
/// </summary>
public sealed class TermAutomaton
{
    private const int Root = 0;

    // Goto edges as one hash table keyed by (state << 16 | char): the alphabet is all of Unicode, so a dense table per
    // state is out of the question, and one table keeps construction and lookup simple.
    private readonly Dictionary<long, int> edges = [];
    private readonly List<int> fail = [Root];
    private readonly List<int> pattern = [-1];     // the pattern that ends exactly at this state, or -1
    private readonly List<int> depth = [0];
    private readonly List<int> outputLink = [-1];  // the nearest proper suffix state that ends a pattern, or -1

    /// <summary>Builds the automaton. Pattern <c>i</c> is reported with id <c>i</c>; empty patterns are ignored, and of
    /// equal patterns the first is reported.</summary>
    /// <param name="patterns">The patterns, already normalised.</param>
    public TermAutomaton(IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        for (var id = 0; id < patterns.Count; id++)
        {
            Insert(patterns[id], id);
        }

        PatternCount = patterns.Count;
        BuildLinks();
    }

    /// <summary>How many patterns the automaton was built from.</summary>
    public int PatternCount { get; }

    /// <summary>Calls <paramref name="onMatch"/> with (pattern id, start, length) for every occurrence, in order of end position.</summary>
    /// <typeparam name="TState">Caller state passed through, so the hot loop allocates nothing.</typeparam>
    /// <param name="text">The text, normalised like the patterns.</param>
    /// <param name="state">Passed to <paramref name="onMatch"/>.</param>
    /// <param name="onMatch">Receives each occurrence.</param>
    public void Scan<TState>(ReadOnlySpan<char> text, ref TState state, MatchHandler<TState> onMatch)
    {
        ArgumentNullException.ThrowIfNull(onMatch);
        var current = Root;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            while (true)
            {
                if (edges.TryGetValue(Key(current, c), out var next))
                {
                    current = next;
                    break;
                }

                if (current == Root)
                {
                    break;
                }

                current = fail[current];
            }

            for (var s = pattern[current] >= 0 ? current : outputLink[current]; s >= 0; s = outputLink[s])
            {
                onMatch(ref state, pattern[s], i + 1 - depth[s], depth[s]);
            }
        }
    }

    private static long Key(int state, char c) => ((long)state << 16) | c;

    private void Insert(string text, int id)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var state = Root;
        foreach (var c in text)
        {
            if (!edges.TryGetValue(Key(state, c), out var next))
            {
                next = fail.Count;
                fail.Add(Root);
                pattern.Add(-1);
                depth.Add(depth[state] + 1);
                outputLink.Add(-1);
                edges.Add(Key(state, c), next);
            }

            state = next;
        }

        if (pattern[state] < 0)
        {
            pattern[state] = id;
        }
    }

    // Breadth-first over the trie: a state's failure link is the longest proper suffix of its path that is also a
    // trie path; its output link is the nearest state on the failure chain that ends a pattern.
    private void BuildLinks()
    {
        var children = new List<(char Symbol, int State)>[fail.Count];
        foreach (var (key, child) in edges)
        {
            var parent = (int)(key >> 16);
            (children[parent] ??= []).Add(((char)(key & 0xFFFF), child));
        }

        var queue = new Queue<int>();
        foreach (var (_, child) in children[Root] ?? [])
        {
            fail[child] = Root;
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            foreach (var (symbol, child) in children[state] ?? [])
            {
                var f = fail[state];
                int target;
                while (!edges.TryGetValue(Key(f, symbol), out target) && f != Root)
                {
                    f = fail[f];
                }

                // At the root with no edge, target is 0 (the root) already.
                fail[child] = target;
                var link = fail[child];
                outputLink[child] = pattern[link] >= 0 ? link : outputLink[link];
                queue.Enqueue(child);
            }
        }
    }
}

/// <summary>Receives one occurrence from <see cref="TermAutomaton.Scan{TState}"/>.</summary>
/// <typeparam name="TState">The caller's state.</typeparam>
/// <param name="state">The caller's state.</param>
/// <param name="patternId">Which pattern.</param>
/// <param name="start">Where it starts in the text.</param>
/// <param name="length">Its length.</param>
public delegate void MatchHandler<TState>(ref TState state, int patternId, int start, int length);
