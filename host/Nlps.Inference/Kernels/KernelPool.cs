using System.Runtime.ExceptionServices;

namespace Nlps.Inference.Kernels;

/// <summary>
/// Persistent worker threads for kernels: the caller plus <c>Participants - 1</c> workers take chunks of an index range
/// from a shared counter until it is exhausted, so a thread slowed by another tenant simply takes fewer chunks.
/// Idle workers block on a semaphore and the caller blocks on an event: nothing spins, which matters on 2 vCPUs where
/// a spinning thread starves the one it waits for. One run at a time (the model serialises its forward passes).
/// </summary>
internal sealed class KernelPool : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim[] _start;
    private readonly ManualResetEventSlim _done = new(initialState: false, spinCount: 1);
    private IParallelWork? _work;
    private int _count;
    private int _grain;
    private int _next;
    private int _pending;
    private volatile bool _stopping;
    private ExceptionDispatchInfo? _error;

    public KernelPool(int participants)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(participants);
        Participants = participants;
        _workers = new Thread[participants - 1];
        _start = new SemaphoreSlim[participants - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            int participant = i + 1;
            _start[i] = new SemaphoreSlim(0);
            _workers[i] = new Thread(() => WorkerLoop(participant)) { IsBackground = true, Name = $"nlps-kernel-{participant}" };
            _workers[i].Start();
        }
    }

    /// <summary>Threads that take part in a run, the caller included.</summary>
    public int Participants { get; }

    /// <summary>Runs <paramref name="work"/> over [0, <paramref name="count"/>) in chunks of <paramref name="grain"/>; returns when all are done.</summary>
    public void Run(IParallelWork work, int count, int grain)
    {
        if (count <= 0)
        {
            return;
        }

        grain = Math.Max(1, grain);
        if (_workers.Length == 0 || count <= grain)
        {
            work.Execute(0, count, 0);
            return;
        }

        _work = work;
        _count = count;
        _grain = grain;
        _next = 0;
        _error = null;
        _pending = _workers.Length;
        _done.Reset();
        foreach (SemaphoreSlim start in _start)
        {
            start.Release();
        }

        try
        {
            Drain(0);
        }
        finally
        {
            _done.Wait();
            _work = null;
        }

        _error?.Throw();
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (SemaphoreSlim start in _start)
        {
            start.Release();
        }

        foreach (Thread worker in _workers)
        {
            worker.Join();
        }

        foreach (SemaphoreSlim start in _start)
        {
            start.Dispose();
        }

        _done.Dispose();
    }

    private void Drain(int participant)
    {
        IParallelWork work = _work!;
        while (true)
        {
            int start = Interlocked.Add(ref _next, _grain) - _grain;
            if (start >= _count)
            {
                return;
            }

            work.Execute(start, Math.Min(start + _grain, _count), participant);
        }
    }

    private void WorkerLoop(int participant)
    {
        SemaphoreSlim start = _start[participant - 1];
        while (true)
        {
            start.Wait();
            if (_stopping)
            {
                return;
            }

            try
            {
                Drain(participant);
            }
#pragma warning disable CA1031 // a kernel fault must reach the caller, not kill the process
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _error ??= ExceptionDispatchInfo.Capture(ex);
                Interlocked.Exchange(ref _next, _count); // stop handing out chunks
            }
            finally
            {
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    _done.Set();
                }
            }
        }
    }
}
