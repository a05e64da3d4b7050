using Microsoft.Extensions.Logging;

namespace Nlps.Api.Logs;

/// <summary>Writes every log line that passes the configured filters into the <see cref="RecentLogBuffer"/>.</summary>
/// <param name="buffer">Where lines go.</param>
/// <param name="timeProvider">The clock that stamps them.</param>
[ProviderAlias("Recent")]
public sealed class RecentLogLoggerProvider(RecentLogBuffer buffer, TimeProvider timeProvider) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new RecentLogger(buffer, timeProvider, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class RecentLogger(RecentLogBuffer buffer, TimeProvider timeProvider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Trace carries prompts and documents (see the logging rules); it never reaches the in-memory log.
        public bool IsEnabled(LogLevel logLevel) => logLevel is > LogLevel.Trace and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            buffer.Add(
                timeProvider.GetUtcNow(),
                logLevel,
                category,
                eventId.Name,
                formatter(state, exception),
                exception is null ? null : $"{exception.GetType().FullName}: {exception.Message}");
        }
    }
}
