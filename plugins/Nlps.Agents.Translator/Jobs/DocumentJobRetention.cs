using Microsoft.Extensions.Logging;

namespace Nlps.Agents.Translator.Jobs;

/// <summary>
/// Removes finished document jobs (completed, cancelled or failed) with their results and staged documents once they
/// have been finished for <c>documentJobRetentionHours</c>: once when the agent starts, then every
/// <see cref="SweepInterval"/> on the injected clock, so a job goes at most that much later than its retention says.
/// A zero retention keeps every job until it is deleted. Running jobs are never removed.
/// </summary>
internal sealed partial class DocumentJobRetention : IAsyncDisposable
{
    /// <summary>How often finished jobs are checked.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    private readonly DocumentJobs jobs;
    private readonly TimeSpan retention;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping;
    private readonly Lock gate = new();
    private ITimer? timer;
    private Task sweeping = Task.CompletedTask;

    public DocumentJobRetention(DocumentJobs jobs, TimeSpan retention, TimeProvider timeProvider, ILogger logger, CancellationToken stopping)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.Zero);
        this.jobs = jobs;
        this.retention = retention;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.stopping = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    /// <summary>The sweep in progress, or the last one (completed when there was none).</summary>
    public Task Sweeping
    {
        get
        {
            lock (gate)
            {
                return sweeping;
            }
        }
    }

    /// <summary>Removes the jobs whose retention has already ended, then checks again every <see cref="SweepInterval"/>.</summary>
    public async Task StartAsync()
    {
        if (retention == TimeSpan.Zero)
        {
            return;
        }

        await SweepAsync().ConfigureAwait(false);
        timer = timeProvider.CreateTimer(_ => Tick(), null, SweepInterval, SweepInterval);
    }

    public async ValueTask DisposeAsync()
    {
        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await Sweeping.ConfigureAwait(false);
        stopping.Dispose();
    }

    // Off the timer's thread; a sweep still running when the next tick comes covers it.
    private void Tick()
    {
        lock (gate)
        {
            if (sweeping.IsCompleted && !stopping.IsCancellationRequested)
            {
                sweeping = Task.Run(SweepAsync);
            }
        }
    }

    // Never throws: a sweep that fails is logged and the next tick tries again.
    private async Task SweepAsync()
    {
        try
        {
            var removed = await jobs.RemoveFinishedAsync(timeProvider.GetUtcNow() - retention, stopping.Token).ConfigureAwait(false);
            Log.Swept(logger, removed, retention.TotalHours);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The agent is stopping; the next start sweeps again.
        }
        catch (Exception ex)
        {
            Log.SweepFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, EventName = "DocumentJobsSwept", Level = LogLevel.Debug, Message = "Removed {Removed} document jobs finished more than {Hours} hours ago")]
        public static partial void Swept(ILogger logger, int removed, double hours);

        [LoggerMessage(EventId = 11, EventName = "DocumentJobSweepFailed", Level = LogLevel.Warning, Message = "Removing expired document jobs failed; trying again at the next check")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
