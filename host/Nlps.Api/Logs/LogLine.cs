using Microsoft.Extensions.Logging;

namespace Nlps.Api.Logs;

/// <summary>One line of nlpsd's log as the admin API shows it.</summary>
/// <param name="Id">Increasing sequence number; ask for lines <c>after</c> the last one seen to follow the log.</param>
/// <param name="At">When it was written.</param>
/// <param name="Level">Its level.</param>
/// <param name="Category">The logger's category (usually the type that wrote it).</param>
/// <param name="EventName">The event's name, when it has one.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception's type and message, when one was logged.</param>
public sealed record LogLine(long Id, DateTimeOffset At, LogLevel Level, string Category, string? EventName, string Message, string? Exception);
