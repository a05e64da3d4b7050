using Nlps.Plugins.Loading;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Manifest;
using Nlps.Sdk.Operations;

namespace Nlps.Plugins.Runtime;

/// <summary>
/// A started agent: its load context, instance, context and operations. Calls take a lease; stopping waits for the
/// leases to drain (then cancels the rest), disposes the agent and unloads the context.
/// </summary>
public sealed class ActiveAgent
{
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PluginLoadContext? loadContext;
    private IAgent? agent;
    private AgentContext? context;
    private int leases;
    private int stopping;

    internal ActiveAgent(PluginManifest manifest, PluginLoadContext loadContext, IAgent agent, AgentContext context, IReadOnlyDictionary<string, AgentOperation> operations)
    {
        Manifest = manifest;
        this.loadContext = loadContext;
        this.agent = agent;
        this.context = context;
        Operations = operations;
    }

    /// <summary>The manifest of the running version.</summary>
    public PluginManifest Manifest { get; }

    /// <summary>The registered operations by name.</summary>
    public IReadOnlyDictionary<string, AgentOperation> Operations { get; private set; }

    /// <summary>Cancelled when the agent starts stopping; link call tokens to it.</summary>
    public CancellationToken Stopping => context?.Stopping ?? new CancellationToken(canceled: true);

    /// <summary>Takes a lease for one call; false when the agent is stopping.</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref leases);
        if (Volatile.Read(ref stopping) == 0)
        {
            return true;
        }

        Exit();
        return false;
    }

    /// <summary>Returns a lease taken by <see cref="TryEnter"/>.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref leases) == 0 && Volatile.Read(ref stopping) == 1)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>
    /// Stops the agent: no new calls, waits up to <paramref name="drainTimeout"/> for calls in flight, cancels the
    /// rest, disposes the agent and unloads its context. Returns a weak reference to the context so the caller can
    /// confirm it was collected.
    /// </summary>
    /// <param name="drainTimeout">How long calls in flight may take to finish.</param>
    /// <param name="timeProvider">The clock for the drain timeout.</param>
    public async Task<WeakReference> StopAsync(TimeSpan drainTimeout, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Volatile.Write(ref stopping, 1);
        if (Volatile.Read(ref leases) == 0)
        {
            drained.TrySetResult();
        }

        try
        {
            await drained.Task.WaitAsync(drainTimeout, timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Calls still running are cancelled; give them the same time again to observe it. A call that ignores
            // cancellation keeps its context alive, which the caller sees as a context that is not collected.
            context?.SignalStopping();
            try
            {
                await drained.Task.WaitAsync(drainTimeout, timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        context?.SignalStopping();
        return await UnloadAsync().ConfigureAwait(false);
    }

    internal async Task<WeakReference> UnloadAsync()
    {
        var current = agent;
        agent = null;
        Operations = new Dictionary<string, AgentOperation>();
        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }

        context?.Dispose();
        context = null;
        var alc = loadContext!;
        loadContext = null;
        var weak = new WeakReference(alc, trackResurrection: true);
        alc.Unload();
        return weak;
    }
}
