namespace Nlps.Agents.Chatbot.Retrieval;

/// <summary>
/// Reorders ranked passages for a long prompt so the strongest sit at the start and the end, the weakest in the
/// middle (models use the middle of a long context least: Liu et al. 2023, "Lost in the Middle").
/// Ranks 1,2,3,4,5 become 1,3,5,4,2.
/// </summary>
internal static class LongContextOrder
{
    public static IReadOnlyList<T> Reorder<T>(IReadOnlyList<T> ranked)
    {
        var front = new List<T>();
        var back = new List<T>();
        for (var i = 0; i < ranked.Count; i++)
        {
            (i % 2 == 0 ? front : back).Add(ranked[i]);
        }

        back.Reverse();
        return [.. front, .. back];
    }
}
