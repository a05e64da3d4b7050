using Microsoft.Data.Sqlite;
using Nlps.Storage.Database;

namespace Nlps.Storage.Models;

/// <summary>The models in the store, one row each. It records what the model store decided; it does not touch files.</summary>
public sealed class ModelCatalog
{
    private const string Select =
        "SELECT id, model_type, task, dtype, parameter_count, total_bytes, file_count, manifest_sha256, imported_at, verified_at, verify_problem FROM models";

    private readonly StateDatabase database;

    /// <summary>Creates the catalog.</summary>
    /// <param name="database">The state database.</param>
    public ModelCatalog(StateDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Every model, by id (ordinal).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<ModelRecord>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"{Select} ORDER BY id COLLATE BINARY");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The model <paramref name="id"/>, or null.</summary>
    /// <param name="id">The model id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<ModelRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand($"{Select} WHERE id = $id").With("$id", id);
        var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Inserts the model or replaces its row.</summary>
    /// <param name="record">The row.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task UpsertAsync(ModelRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("""
            INSERT OR REPLACE INTO models (id, model_type, task, dtype, parameter_count, total_bytes, file_count, manifest_sha256, imported_at, verified_at, verify_problem)
            VALUES ($id, $type, $task, $dtype, $params, $bytes, $files, $sha, $imported, $verified, $problem)
            """)
            .With("$id", record.Id)
            .With("$type", record.ModelType)
            .With("$task", record.Task)
            .With("$dtype", record.Dtype)
            .With("$params", record.ParameterCount)
            .With("$bytes", record.TotalBytes)
            .With("$files", record.FileCount)
            .With("$sha", record.ManifestSha256)
            .With("$imported", UtcTimestamp.ToText(record.ImportedAt))
            .With("$verified", record.VerifiedAt is { } at ? UtcTimestamp.ToText(at) : null)
            .With("$problem", record.VerifyProblem);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the outcome of a check of the model's files; false when the model has no row.</summary>
    /// <param name="id">The model id.</param>
    /// <param name="at">When the check finished.</param>
    /// <param name="problem">The first problem found, or null when it passed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<bool> RecordVerificationAsync(string id, DateTimeOffset at, string? problem, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("UPDATE models SET verified_at = $at, verify_problem = $problem WHERE id = $id")
            .With("$id", id)
            .With("$at", UtcTimestamp.ToText(at))
            .With("$problem", problem);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Deletes the row; false when there was none.</summary>
    /// <param name="id">The model id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand("DELETE FROM models WHERE id = $id").With("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static async Task<IReadOnlyList<ModelRecord>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ModelRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ModelRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetNullableString(3),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.GetInt32(6),
                reader.GetString(7),
                UtcTimestamp.Parse(reader.GetString(8)),
                reader.GetNullableString(9) is { } verified ? UtcTimestamp.Parse(verified) : null,
                reader.GetNullableString(10)));
        }

        return rows;
    }
}
