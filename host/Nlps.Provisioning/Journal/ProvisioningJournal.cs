using System.Text;
using System.Text.Json;

namespace Nlps.Provisioning.Journal;

/// <summary>
/// The record of completed steps, one JSON line each, appended and flushed to disk as each step completes. A run that
/// was killed leaves at most a torn last line, which is ignored: that step simply runs again.
/// </summary>
public sealed class ProvisioningJournal
{
    public const string FileName = "journal.jsonl";

    private readonly string _path;
    private readonly Dictionary<string, StepRecord> _records = new(StringComparer.Ordinal);

    private ProvisioningJournal(string path) => _path = path;

    public static async Task<ProvisioningJournal> OpenAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var journal = new ProvisioningJournal(Path.Combine(folder, FileName));
        if (!File.Exists(journal._path))
        {
            return journal;
        }

        foreach (string line in await File.ReadAllLinesAsync(journal._path, cancellationToken).ConfigureAwait(false))
        {
            StepRecord? record = null;
            try
            {
                record = JsonSerializer.Deserialize(line, ProvisioningJsonContext.Default.StepRecord);
            }
            catch (JsonException)
            {
                // A line torn by a kill mid-write: the step did not complete.
            }

            if (record is not null)
            {
                journal._records[record.Step] = record;
            }
        }

        return journal;
    }

    /// <summary>The record of <paramref name="step"/> when it completed on these same inputs, else null.</summary>
    public StepRecord? Completed(string step, string inputHash) =>
        _records.TryGetValue(step, out StepRecord? record) && record.InputHash == inputHash ? record : null;

    public async Task AppendAsync(StepRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, ProvisioningJsonContext.Default.StepRecord) + "\n");
        var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        _records[record.Step] = record;
    }
}
