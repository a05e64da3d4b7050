using Microsoft.Extensions.Logging;

namespace Nlps.Agents.Translator.Tests.Support;

/// <summary>Loggers that keep every event the agent logs, so a test can wait for an event instead of for time.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly Lock gate = new();
    private readonly List<(string EventName, string Message)> entries = [];
    private TaskCompletionSource logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(string EventName, string Message)> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }

    public int Count(string eventName)
    {
        lock (gate)
        {
            return entries.Count(e => e.EventName == eventName);
        }
    }

    /// <summary>Completes once <paramref name="eventName"/> has been logged <paramref name="count"/> times in all.</summary>
    public async Task WaitForAsync(string eventName, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (entries.Count(e => e.EventName == eventName) >= count)
                {
                    return;
                }

                next = logged.Task;
            }

            await next.WaitAsync(timeout.Token);
        }
    }

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The recording factory keeps its own entries.");

    public void Dispose()
    {
    }

    private void Add(string eventName, string message)
    {
        TaskCompletionSource done;
        lock (gate)
        {
            entries.Add((eventName, message));
            done = logged;
            logged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.SetResult();
    }

    private sealed class RecordingLogger(RecordingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(eventId.Name ?? string.Empty, formatter(state, exception));
    }
}
