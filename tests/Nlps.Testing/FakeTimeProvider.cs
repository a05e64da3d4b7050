namespace Nlps.Testing;

/// <summary>
/// A clock and timers that move only when the test calls <see cref="Advance"/>; due timer callbacks run on the
/// test's thread, in due order, before <see cref="Advance"/> returns.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<FakeTimer> timers = [];
    private readonly TaskCompletionSource timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTimeOffset start = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private TimeSpan elapsed;

    /// <summary>Completes when the first timer is created, so a test can advance time only once something waits on it.</summary>
    public Task TimerCreated => timerCreated.Task;

    public int ActiveTimerCount
    {
        get
        {
            lock (gate)
            {
                return timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return start + elapsed;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (gate)
        {
            return elapsed.Ticks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (gate)
        {
            timers.Add(timer);
            timer.Schedule(elapsed, dueTime, period);
        }

        timerCreated.TrySetResult();
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        TimeSpan target;
        lock (gate)
        {
            target = elapsed + by;
        }

        while (true)
        {
            FakeTimer? due;
            lock (gate)
            {
                due = timers.Where(t => t.DueAt <= target).MinBy(t => t.DueAt);
                if (due is null)
                {
                    elapsed = target;
                    return;
                }

                elapsed = due.DueAt!.Value;
                due.Reschedule();
            }

            due.Fire();
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan period;

        public TimeSpan? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner.gate)
            {
                Schedule(owner.elapsed, dueTime, period);
            }

            return true;
        }

        public void Schedule(TimeSpan now, TimeSpan dueTime, TimeSpan newPeriod)
        {
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime;
            period = newPeriod;
        }

        public void Reschedule() =>
            DueAt = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : DueAt + period;

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
