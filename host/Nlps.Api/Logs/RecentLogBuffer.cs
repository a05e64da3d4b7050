using Microsoft.Extensions.Logging;

namespace Nlps.Api.Logs;

/// <summary>
/// The last <see cref="Capacity"/> log lines in memory, for the console's log page and <c>GET /v1/admin/logs</c>;
/// the journal keeps the full history. Writers never block on readers for longer than a copy.
/// </summary>
public sealed class RecentLogBuffer
{
    /// <summary>Lines kept by default.</summary>
    public const int DefaultCapacity = 2000;

    private readonly LogLine?[] lines;
    private readonly Lock gate = new();
    private long nextId = 1;

    /// <summary>Creates a buffer of <paramref name="capacity"/> lines.</summary>
    /// <param name="capacity">Lines kept; older ones are dropped.</param>
    public RecentLogBuffer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        lines = new LogLine?[capacity];
    }

    /// <summary>How many lines are kept.</summary>
    public int Capacity => lines.Length;

    /// <summary>Adds a line and gives it the next id.</summary>
    /// <param name="at">When it was written.</param>
    /// <param name="level">Its level.</param>
    /// <param name="category">The logger category.</param>
    /// <param name="eventName">The event name, if any.</param>
    /// <param name="message">The formatted message.</param>
    /// <param name="exception">The exception summary, if any.</param>
    public void Add(DateTimeOffset at, LogLevel level, string category, string? eventName, string message, string? exception)
    {
        lock (gate)
        {
            long id = nextId++;
            lines[id % lines.Length] = new LogLine(id, at, level, category, eventName, message, exception);
        }
    }

    /// <summary>Lines with an id above <paramref name="afterId"/> and at least <paramref name="minimum"/>, oldest first, at most <paramref name="limit"/> (the newest ones).</summary>
    /// <param name="afterId">0 for everything kept.</param>
    /// <param name="minimum">The lowest level wanted.</param>
    /// <param name="contains">Only lines whose message or category contains this text (ordinal, ignoring case); null for all.</param>
    /// <param name="limit">Most lines returned.</param>
    public IReadOnlyList<LogLine> Read(long afterId, LogLevel minimum, string? contains, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var found = new List<LogLine>();
        lock (gate)
        {
            long first = Math.Max(afterId + 1, nextId - lines.Length);
            for (long id = Math.Max(first, 1); id < nextId; id++)
            {
                LogLine line = lines[id % lines.Length]!;
                if (line.Level >= minimum && (contains is null
                    || line.Message.Contains(contains, StringComparison.OrdinalIgnoreCase)
                    || line.Category.Contains(contains, StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add(line);
                }
            }
        }

        return found.Count > limit ? found[^limit..] : found;
    }
}
