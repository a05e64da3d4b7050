using System.Runtime.CompilerServices;

namespace Nlps.Plugins.Runtime;

/// <summary>Confirms that an unloaded plugin context was collected (the recipe in shared/reference/plugins.md §4).</summary>
public static class UnloadVerifier
{
    /// <summary>Runs up to <paramref name="maxRounds"/> full collections; true when the context is gone.</summary>
    /// <param name="loadContext">A weak reference to the unloaded context.</param>
    /// <param name="maxRounds">Collections to try; finalizers may need several.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool WaitForCollection(WeakReference loadContext, int maxRounds = 10)
    {
        ArgumentNullException.ThrowIfNull(loadContext);
        for (var round = 0; loadContext.IsAlive && round < maxRounds; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return !loadContext.IsAlive;
    }
}
