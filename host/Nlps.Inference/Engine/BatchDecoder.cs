using Nlps.Inference.Models.Llama;
using Nlps.Inference.Models.Lora;

namespace Nlps.Inference.Engine;

/// <summary>
/// Decodes all running sequences of one model together on one thread: each step feeds every sequence's last token to
/// <see cref="LlamaModel.DecodeBatch(ReadOnlySpan{int}, ReadOnlySpan{KvCache}, ReadOnlySpan{LoraAdapter}, Span{float})"/>, so the weights stream from memory once per step for all of them (a small
/// matrix product instead of one matrix-vector product per sequence). Between steps, sequences that finished or whose
/// caller left are dropped, and waiting ones join (their prompt is prefilled first, so a long prompt delays the
/// others' next token by its prefill time). Each sequence carries its own LoRA adapter (or none), so sequences of
/// different adapters over the same base step together. At most <c>maxRunning</c> sequences run; at most <c>maxQueued</c> more
/// wait; beyond that <see cref="Enqueue"/> throws <see cref="EngineBusyException"/>. When nothing can step (no
/// sequences, or every caller is behind on reading) the thread blocks until <see cref="Wake"/>.
/// </summary>
internal sealed class BatchDecoder : IDisposable
{
    private readonly LlamaModel _model;
    private readonly int _maxRunning;
    private readonly int _maxQueued;
    private readonly Lock _lock = new();
    private readonly Queue<DecodingSequence> _waiting = new();
    private readonly List<DecodingSequence> _running = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private float[] _logits = [];
    private int[] _tokens = [];
    private KvCache[] _caches = [];
    private LoraAdapter?[] _adapters = [];
    private TimeSpan _lastStep = TimeSpan.FromMilliseconds(100);

    public BatchDecoder(LlamaModel model, int maxRunning, int maxQueued)
    {
        _model = model;
        _maxRunning = maxRunning;
        _maxQueued = maxQueued;
        _thread = new Thread(Loop) { IsBackground = true, Name = "nlps-batch-decoder" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="sequence"/>; throws <see cref="EngineBusyException"/> when the queue is full.</summary>
    public void Enqueue(DecodingSequence sequence)
    {
        lock (_lock)
        {
            ForgetLeftWaiters();
            if (_running.Count + _waiting.Count >= _maxRunning + _maxQueued)
            {
                // A rough wait: the queue ahead, in batches of running sequences, each about a few dozen steps.
                var wait = TimeSpan.FromSeconds(Math.Clamp(_lastStep.TotalSeconds * 32 * (1 + (_waiting.Count / Math.Max(1, _maxRunning))), 1, 60));
                throw new EngineBusyException($"the model is decoding {_running.Count} sequences with {_waiting.Count} waiting, its limit; try again later", wait);
            }

            _waiting.Enqueue(sequence);
        }

        _wake.Release();
    }

    /// <summary>Tells the decoder a caller read tokens or left, so a waiting sequence may step again.</summary>
    public void Wake() => _wake.Release();

    public EngineLoad Load()
    {
        lock (_lock)
        {
            ForgetLeftWaiters();
            long[] perSequence = [.. _running.Select(s => s.Cache?.Bytes ?? 0)];
            LlamaConfig c = _model.Config;
            return new EngineLoad(_running.Count, _waiting.Count, perSequence.Sum(), 2L * c.Layers * c.KvHeads * c.HeadDim * sizeof(float), perSequence);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        lock (_lock)
        {
            foreach (DecodingSequence s in _running.Concat(_waiting))
            {
                s.Finish(new ObjectDisposedException(nameof(BatchDecoder), "the model was unloaded"));
            }

            _running.Clear();
            _waiting.Clear();
        }

        _wake.Dispose();
        _stop.Dispose();
    }

    private void Loop()
    {
        try
        {
            while (true)
            {
                _stop.Token.ThrowIfCancellationRequested();
                Admit();
                if (!Step())
                {
                    _wake.Wait(_stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Admit()
    {
        while (true)
        {
            DecodingSequence? joining;
            lock (_lock)
            {
                if (_running.Count >= _maxRunning || !_waiting.TryDequeue(out joining))
                {
                    return;
                }

                _running.Add(joining);
            }

            if (joining.HasLeft)
            {
                Drop(joining, null);
                continue;
            }

            try
            {
                joining.Cache = _model.CreateCache(joining.Capacity);
                float[] logits = Logits(1);
                _model.Prefill(joining.Prompt, joining.Cache, logits.AsSpan(0, _model.Config.VocabSize), joining.Adapter);
                if (!joining.Sample(logits.AsSpan(0, _model.Config.VocabSize)))
                {
                    Drop(joining, null);
                }
            }
#pragma warning disable CA1031 // the failure belongs to this one sequence's caller, not to the decoder
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Drop(joining, ex);
            }
        }
    }

    // Returns false when nothing changed: no sequence could step and none left. A sequence that left frees its place,
    // so the loop must admit again before it sleeps: a waiter would otherwise sleep until some unrelated wake.
    private bool Step()
    {
        DecodingSequence[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        var active = new List<DecodingSequence>(running.Length);
        bool dropped = false;
        foreach (DecodingSequence s in running)
        {
            if (s.HasLeft || s.Finished)
            {
                Drop(s, null);
                dropped = true;
            }
            else if (!s.Waiting)
            {
                active.Add(s);
            }
        }

        int n = active.Count;
        if (n == 0)
        {
            return dropped;
        }

        int vocab = _model.Config.VocabSize;
        float[] logits = Logits(n);
        if (_tokens.Length < n)
        {
            _tokens = new int[n];
            _caches = new KvCache[n];
            _adapters = new LoraAdapter?[n];
        }

        bool adapted = false;
        for (int i = 0; i < n; i++)
        {
            _tokens[i] = active[i].Next;
            _caches[i] = active[i].Cache!;
            _adapters[i] = active[i].Adapter;
            adapted |= active[i].Adapter is not null;
        }

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            _model.DecodeBatch(_tokens.AsSpan(0, n), _caches.AsSpan(0, n), adapted ? _adapters.AsSpan(0, n) : [], logits.AsSpan(0, n * vocab));
        }
#pragma warning disable CA1031 // every sequence of the failed step gets the error
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (DecodingSequence s in active)
            {
                Drop(s, ex);
            }

            return true;
        }
        finally
        {
            Array.Clear(_caches);
            Array.Clear(_adapters);
        }

        _lastStep = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        for (int i = 0; i < n; i++)
        {
            if (!active[i].Sample(logits.AsSpan(i * vocab, vocab)))
            {
                Drop(active[i], null);
            }
        }

        return true;
    }

    private void Drop(DecodingSequence sequence, Exception? error)
    {
        if (!sequence.Finished)
        {
            sequence.Finish(error);
        }

        lock (_lock)
        {
            _running.Remove(sequence);
        }
    }

    // Callers that gave up while waiting hold no place in the queue (they never got a cache). Called under _lock.
    private void ForgetLeftWaiters()
    {
        if (!_waiting.Any(s => s.HasLeft))
        {
            return;
        }

        DecodingSequence[] waiting = [.. _waiting];
        _waiting.Clear();
        foreach (DecodingSequence s in waiting)
        {
            if (s.HasLeft)
            {
                s.Finish(null);
            }
            else
            {
                _waiting.Enqueue(s);
            }
        }
    }

    private float[] Logits(int rows)
    {
        long length = (long)rows * _model.Config.VocabSize;
        if (_logits.Length < length)
        {
            _logits = new float[length];
        }

        return _logits;
    }
}
