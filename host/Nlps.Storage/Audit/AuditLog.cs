using System.Text;
using Nlps.Storage.Database;

namespace Nlps.Storage.Audit;

/// <summary>The append-only record of administrative actions, read newest first a page at a time.</summary>
public sealed class AuditLog
{
    /// <summary>The most entries one query returns.</summary>
    public const int MaxQueryLimit = 1000;

    private readonly StateDatabase database;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the log.</summary>
    /// <param name="database">The state database.</param>
    /// <param name="timeProvider">Stamps each entry.</param>
    public AuditLog(StateDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.database = database;
        this.timeProvider = timeProvider;
    }

    /// <summary>Appends <paramref name="entry"/> stamped with the current time; returns its id.</summary>
    /// <param name="entry">The action to record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Actor, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.Action, nameof(entry));

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("""
                INSERT INTO audit_log (at, actor, action, target, result, detail)
                VALUES ($at, $actor, $action, $target, $result, $detail)
                RETURNING id
                """)
            .With("$at", UtcTimestamp.ToText(timeProvider.GetUtcNow()))
            .With("$actor", entry.Actor)
            .With("$action", entry.Action)
            .With("$target", entry.Target)
            .With("$result", ToText(entry.Result))
            .With("$detail", entry.Detail);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> entries, newest first. Page back by passing the smallest id of the previous page
    /// as <paramref name="beforeId"/>.
    /// </summary>
    /// <param name="limit">How many entries at most (1 to <see cref="MaxQueryLimit"/>).</param>
    /// <param name="beforeId">Only entries older than this id; null for the newest.</param>
    /// <param name="action">Only entries with exactly this action; null for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(int limit, long? beforeId, string? action, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxQueryLimit);

        var sql = new StringBuilder("SELECT id, at, actor, action, target, result, detail FROM audit_log WHERE 1 = 1");
        if (beforeId is not null)
        {
            sql.Append(" AND id < $before");
        }

        if (action is not null)
        {
            sql.Append(" AND action = $action");
        }

        sql.Append(" ORDER BY id DESC LIMIT $limit");

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(sql.ToString())
            .With("$before", beforeId)
            .With("$action", action)
            .With("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0),
                UtcTimestamp.Parse(reader.GetString(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetNullableString(4),
                ParseResult(reader.GetString(5)),
                reader.GetNullableString(6)));
        }

        return records;
    }

    private static string ToText(AuditResult result) => result switch
    {
        AuditResult.Ok => "ok",
        AuditResult.Refused => "refused",
        AuditResult.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "not a known audit result"),
    };

    private static AuditResult ParseResult(string text) => text switch
    {
        "ok" => AuditResult.Ok,
        "refused" => AuditResult.Refused,
        "failed" => AuditResult.Failed,
        _ => throw new InvalidDataException($"audit_log holds an unknown result '{text}'"),
    };
}
